package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import amface.data.SyntheticFaces;
import amface.train.LossChart;
import amface.train.TrainConfig;
import amface.train.TrainResult;
import amface.train.Trainer;
import amface.train.TrainingException;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the main job on built-in synthetic faces: train, evaluate, write a run folder.",
        "Renders synthetic faces, trains a small ResFace with AM-softmax on the CPU, verifies it on pairs of held-out",
        "people, and writes runs/demo-TIME/ (data, checkpoint, metrics.csv, loss.png)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "run folder (default runs/demo-TIME)")
    Path out;
    @Option(names = "--steps", defaultValue = "200", description = "training steps (default ${DEFAULT-VALUE})")
    long steps;
    @Option(names = "--identities", defaultValue = "40", description = "training identities (default ${DEFAULT-VALUE})")
    int identities;

    @Override
    public Integer call() {
        if (out == null) out = Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SyntheticFaces.Written data;
        try {
            data = SyntheticFaces.builder().seed(1).difficulty(0.3).size(48, 56).build()
                .writeDataset(out.resolve("data"), identities, 12, 20, 400, new ConsoleProgress());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        TrainConfig c = TrainConfig.defaults();
        c.data = data.train();
        c.out = out;
        c.pairs = data.pairs();
        c.pairsRoot = data.heldOut();
        c.pairsExtension = "png";
        c.channels = "16,32,48,64";
        c.units = "0,1,1,0";
        c.input = "56x48";
        c.embeddingSize = 64;
        c.dropoutKeep = 1;
        c.s = 16;
        c.m = 0.25;
        c.marginWarmup = steps / 4;
        c.optimizer = "adam";
        c.lr = 3e-3;
        c.lrPolicy = "cosine";
        c.lrFinal = 1e-4;
        c.batch = 32;
        c.steps = steps;
        c.checkpointEvery = Math.max(1, steps / 3);
        c.verifyEvery = Math.max(1, steps / 3);
        c.cropPadding = 2;
        TrainResult r;
        try {
            r = Trainer.create(c).progress(new ConsoleProgress()).run();
            LossChart.writePng(LossChart.of(amface.train.MetricsLog.read(out.resolve(amface.train.MetricsLog.FILE), Long.MAX_VALUE),
                "amface demo: AM-softmax on synthetic faces"), out.resolve("loss.png"));
        } catch (TrainingException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "demo: verification accuracy %.2f%% on %d held-out pairs after %d steps (%.0f s); run folder %s%n",
            100 * r.verificationAccuracy(), data.pairCount(), r.step(), r.seconds(), out);
        return 0;
    }
}
