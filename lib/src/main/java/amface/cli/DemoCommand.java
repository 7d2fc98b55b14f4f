package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import amface.io.AtomicFile;
import amface.data.LfwPairs;
import amface.data.SyntheticFaces;
import amface.eval.EmbeddingExtractor;
import amface.eval.FlipMode;
import amface.eval.OriginalAndMirrored;
import amface.eval.VerificationCharts;
import amface.eval.VerificationEvaluator;
import amface.eval.VerificationPairs;
import amface.eval.VerificationResult;
import amface.eval.VerificationTables;
import amface.image.ImageReader;
import amface.nn.Backend;
import amface.nn.FaceModel;
import amface.train.LossChart;
import amface.train.MetricsLog;
import amface.nn.layers.MixedPrecision;
import amface.train.TrainConfig;
import amface.train.TrainResult;
import amface.train.Trainer;
import amface.train.TrainingException;

/**
 * The main job end to end on built-in data: synthetic faces, a small ResFace trained with AM-softmax on the CPU,
 * the saved model reloaded and evaluated on held-out people with the LFW 10-fold protocol in all four flip modes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the main job on built-in synthetic faces: train, evaluate, write a run folder.",
        "Renders synthetic faces, trains a small ResFace with AM-softmax on the CPU, reloads the saved model and verifies "
            + "held-out people with the LFW 10-fold protocol.",
        "Writes runs/demo-TIME/: config.properties, metrics.csv, loss.png, roc.png, distances.png, folds.csv, "
            + "flip-modes.csv, verification.json, model.zip, checkpoint.zip, data/."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/demo-TIME).")
    Path out;
    @Option(names = "--steps", defaultValue = "1200", paramLabel = "N", description = "Training steps (default ${DEFAULT-VALUE}).")
    long steps;
    @Mixin
    SyntheticFacesOptions faces = new SyntheticFacesOptions(300, 12, 100);
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the synthetic faces and of training (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|auto",
        description = "Training precision: fp32, bf16 (mixed) or auto (bf16 where the CPU has it) (default ${DEFAULT-VALUE}).")
    String precision;

    @Override
    public Integer call() {
        faces.check();
        if (out == null) out = Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.out.println("amface demo on " + Backend.describe().summary() + ", run folder " + out);
        long t0 = System.nanoTime();
        SyntheticFaces.Written data;
        try {
            data = SyntheticFaces.builder().seed(seed).difficulty(faces.difficulty).size(48, 56).build()
                .writeDataset(out.resolve("data"), faces.identities, faces.images, faces.heldOut, pairCount(faces.heldOut), new ConsoleProgress());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }

        TrainResult trained = train(data);
        try {
            evaluate(data, trained.model(), out);
        } catch (IOException e) {
            throw new UserError(out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "demo: done in %.0f s; see %s%n", (System.nanoTime() - t0) / 1e9, out);
        return 0;
    }

    /** 3000 pairs (LFW has 6000) for 100 held-out people; proportionally fewer for smaller runs. */
    public static int pairCount(int heldOut) {
        return Math.max(20, Math.min(3000, heldOut * 30 / 20 * 20));
    }

    /**
     * The demo's training run: a ResFace with the reference's shape at a quarter of the width and half the
     * resolution, AM-softmax s=30 m=0.35, 64 images per step (the Spark figures train it on two workers).
     */
    public static TrainConfig recipe(SyntheticFaces.Written data, Path out, long steps, long seed, String precision) {
        TrainConfig c = TrainConfig.defaults();
        c.data = data.train();
        c.out = out;
        c.pairs = data.pairs();
        c.pairsRoot = data.heldOut();
        c.pairsExtension = "png";
        c.seed = seed;
        c.input = "56x48";
        c.channels = "16,32,64,128";
        c.units = "1,1,1,0";
        c.embeddingSize = 128;
        c.dropoutKeep = 1;
        c.head = "am";
        c.s = 30;
        c.m = 0.35;
        // Margin heads often stall from scratch on small data: ramp m in over the first quarter.
        c.marginWarmup = steps / 4;
        c.optimizer = "adam";
        c.lr = 2e-3;
        c.lrPolicy = "cosine";
        c.lrFinal = 5e-5;
        c.batch = 64;
        c.steps = steps;
        c.checkpointEvery = Math.max(1, steps / 4);
        c.verifyEvery = Math.max(1, steps / 4);
        c.cropPadding = 2;
        c.precision = precision;
        return c;
    }

    private TrainResult train(SyntheticFaces.Written data) {
        TrainConfig c = recipe(data, out, steps, seed, precision);
        try {
            System.out.println("demo: training precision " + MixedPrecision.describe(c.resolvedPrecision()));
            TrainResult r = Trainer.create(c).progress(new ConsoleProgress()).run();
            LossChart.writePng(LossChart.of(MetricsLog.read(out.resolve(MetricsLog.FILE), Long.MAX_VALUE),
                "amface demo: AM-softmax (s=30, m=0.35) on synthetic faces"), out.resolve("loss.png"));
            return r;
        } catch (TrainingException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reloads the saved model, embeds every held-out image once (and mirrored), evaluates each flip mode, writes the
     * result files into {@code out} and returns the headline (flip mean).
     */
    public static VerificationResult evaluate(SyntheticFaces.Written data, Path modelFile, Path out) throws IOException {
        FaceModel model = FaceModel.load(modelFile);
        List<LfwPairs.Pair> pairs = LfwPairs.read(data.pairs()).pairs();
        // Pairs files name images .jpg (the LFW convention); the synthetic set is PNG.
        List<String> names = EmbeddingExtractor.imagesOf(pairs).stream().map(n -> n.replaceFirst("\\.jpg$", ".png")).toList();
        OriginalAndMirrored both = EmbeddingExtractor.of(model).withProgress(new ConsoleProgress())
            .extractOriginalAndMirrored(names, name -> ImageReader.read(data.heldOut().resolve(name)));
        Map<String, VerificationResult> byFlip = new LinkedHashMap<>();
        for (FlipMode flip : FlipMode.values()) {
            VerificationPairs matched = VerificationPairs.match(pairs, "png", both.combine(flip), false, data.pairs().toString());
            byFlip.put(flip.cliName(), VerificationEvaluator.standard().evaluate(matched));
        }
        // The reference repository averages the embeddings of the image and its mirror.
        VerificationResult headline = byFlip.get(FlipMode.MEAN.cliName());
        headline.writeJson(out.resolve("verification.json"));
        AtomicFile.write(out.resolve("folds.csv"), tmp -> VerificationTables.folds(headline).write().csv(tmp.toFile()));
        AtomicFile.write(out.resolve("flip-modes.csv"), tmp -> VerificationTables.summary(byFlip).write().csv(tmp.toFile()));
        png(VerificationCharts.roc(byFlip, VerificationCharts.FprAxis.LOG), out.resolve("roc.png"));
        png(VerificationCharts.distanceHistogram(headline, 40), out.resolve("distances.png"));

        System.out.println();
        System.out.println("flip     accuracy          AUC      EER      VAL@FAR");
        byFlip.forEach((flip, r) -> System.out.printf(Locale.ROOT, "%-8s %6.2f%% +- %5.2f  %.4f  %6.2f%%  %6.2f%% @ %.4f%n",
            flip, 100 * r.accuracyMean(), 100 * r.accuracyStd(), r.auc(), 100 * r.eer(), 100 * r.val(), r.far()));
        System.out.println();
        System.out.printf(Locale.ROOT, "demo: LFW-protocol verification on %d pairs of %d held-out synthetic people (flip mean): "
                + "accuracy %.2f%% +- %.2f, AUC %.4f, EER %.2f%%, VAL %.2f%% @ FAR %.4f%n",
            headline.pairs(), data.heldOutIdentities(), 100 * headline.accuracyMean(), 100 * headline.accuracyStd(),
            headline.auc(), 100 * headline.eer(), 100 * headline.val(), headline.far());
        return headline;
    }

    private static void png(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFile.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }
}
