package amface.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import amface.train.Trainer;
import amface.train.TrainConfig;
import amface.train.TrainListener;
import amface.train.TrainResult;
import amface.train.TrainingException;

/**
 * {@code amface train}: the reference recipe by default; every setting of {@link TrainConfig} as an option, an
 * experiment config file ({@code --config}) underneath, {@code --resume} to continue a run folder. Ctrl-C saves a
 * checkpoint before the process ends.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Train a face-embedding network with a margin head (defaults: the reference AM-softmax recipe).",
    "Writes OUT/checkpoint.zip (every --checkpoint-every steps, at the end, on Ctrl-C), OUT/metrics.csv, OUT/config.properties.",
    "Resume an interrupted run with: amface train --out OUT --resume"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "experiment config: key = value lines (TrainConfig field names); options override it")
    Path configFile;
    @Option(names = "--data", paramLabel = "DIR", description = "training images, DIR/identity/image.jpg")
    Path data;
    @Option(names = "--pairs", paramLabel = "FILE", description = "verification pairs (LFW pairs.txt format)")
    Path pairs;
    @Option(names = "--pairs-root", paramLabel = "DIR", description = "folder of the pairs' images")
    Path pairsRoot;
    @Option(names = "--pairs-ext", paramLabel = "EXT", description = "extension of the pairs' images (default jpg)")
    String pairsExtension;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the run folder")
    Path out;
    @Option(names = "--resume", description = "continue the run in --out from its checkpoint")
    boolean resume;

    @Option(names = "--model", description = "backbone: resface20 (default), resface36, resface64, lresnet50e-ir, lresnet50e-ir-112")
    String model;
    @Option(names = "--channels", paramLabel = "C1,C2,C3,C4", description = "stage widths (default 64,128,256,512)")
    String channels;
    @Option(names = "--units", paramLabel = "U1,U2,U3,U4", description = "residual units per stage")
    String units;
    @Option(names = "--input", paramLabel = "HxW", description = "input size (default 112x96); other images are resized")
    String input;
    @Option(names = "--embedding-size", description = "embedding length (default 512)")
    Integer embeddingSize;
    @Option(names = "--keep-prob", description = "dropout keep probability before the FC")
    Double dropoutKeep;

    @Option(names = "--head", description = "am (default), cosface, normface, arcface, sphereface, combined, softmax")
    String head;
    @Option(names = "--s", description = "scale (default 30)")
    Double s;
    @Option(names = "--m", description = "margin (default 0.35; arcface 0.5 at s 64; sphereface 4)")
    Double m;
    @Option(names = "--m1", description = "combined margin: angle multiplier")
    Double m1;
    @Option(names = "--m2", description = "combined margin: additive angle")
    Double m2;
    @Option(names = "--m3", description = "combined margin: additive cosine")
    Double m3;
    @Option(names = "--learn-s", description = "learn the scale")
    Boolean learnScale;
    @Option(names = "--easy-margin", description = "ArcFace: margin only where cos > 0")
    Boolean easyMargin;
    @Option(names = "--margin-warmup", paramLabel = "STEPS", description = "ramp the margin from 0 over STEPS steps")
    Long marginWarmup;
    @Option(names = "--head-lr-mult", description = "learning-rate multiplier of the head")
    Double headLrMultiplier;

    @Option(names = "--optimizer", description = "sgd (momentum, default), nesterov, adam")
    String optimizer;
    @Option(names = "--lr", description = "base learning rate (default 0.1)")
    Double lr;
    @Option(names = "--momentum", description = "default 0.9")
    Double momentum;
    @Option(names = "--weight-decay", description = "default 5e-4")
    Double weightDecay;
    @Option(names = "--schedule", paramLabel = "FILE", description = "learning-rate schedule file: 'epoch: lr' lines, # comments (replaces --lr-policy)")
    Path schedule;
    @Option(names = "--lr-policy", description = "steps (default), cosine, constant")
    String lrPolicy;
    @Option(names = "--lr-steps", paramLabel = "E1,E2,...", description = "epochs at which steps multiplies lr by --lr-factor (default 16,24,28)")
    String lrSteps;
    @Option(names = "--lr-factor", description = "default 0.1")
    Double lrFactor;
    @Option(names = "--lr-final", description = "cosine: final learning rate")
    Double lrFinal;
    @Option(names = "--lr-warmup", paramLabel = "STEPS", description = "linear learning-rate warm-up")
    Long lrWarmup;
    @Option(names = "--epoch-size", paramLabel = "BATCHES", description = "batches per schedule epoch (default 1000)")
    Integer stepsPerEpoch;
    @Option(names = "--steps", description = "total steps (default 30000)")
    Long steps;
    @Option(names = "--epochs", description = "total schedule epochs (sets --steps to epochs x epoch size)")
    Long epochs;
    @Option(names = "--batch", description = "batch size (default 256)")
    Integer batch;
    @Option(names = "--crop-padding", paramLabel = "PIXELS", description = "random crop: pad and cut (default 4, 0 = off)")
    Integer cropPadding;
    @Option(names = "--no-mirror", description = "no random horizontal mirror")
    boolean noMirror;
    @Option(names = "--seed", description = "default 42")
    Long seed;
    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "default 1000")
    Long checkpointEvery;
    @Option(names = "--verify-every", paramLabel = "STEPS", description = "verification on the pairs every STEPS (default: at the end)")
    Long verifyEvery;
    @Option(names = "--loader-threads", description = "default 2")
    Integer loaderThreads;
    @Option(names = "--prefetch", paramLabel = "BATCHES", description = "default 4")
    Integer prefetch;
    @Option(names = "--workers", description = "data-parallel workers (ParallelWrapper; one per GPU)")
    Integer workers;
    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** The options given, as config settings. */
    Properties given() {
        Properties p = new Properties();
        put(p, "data", data);
        put(p, "pairs", pairs);
        put(p, "pairsRoot", pairsRoot);
        put(p, "pairsExtension", pairsExtension);
        put(p, "model", model);
        put(p, "channels", channels);
        put(p, "units", units);
        put(p, "input", input);
        put(p, "embeddingSize", embeddingSize);
        put(p, "dropoutKeep", dropoutKeep);
        put(p, "head", head);
        put(p, "s", s);
        put(p, "m", m);
        put(p, "m1", m1);
        put(p, "m2", m2);
        put(p, "m3", m3);
        put(p, "learnScale", learnScale);
        put(p, "easyMargin", easyMargin);
        put(p, "marginWarmup", marginWarmup);
        put(p, "headLrMultiplier", headLrMultiplier);
        put(p, "optimizer", optimizer);
        put(p, "lr", lr);
        put(p, "momentum", momentum);
        put(p, "weightDecay", weightDecay);
        put(p, "schedule", schedule);
        put(p, "lrPolicy", lrPolicy);
        put(p, "lrSteps", lrSteps);
        put(p, "lrFactor", lrFactor);
        put(p, "lrFinal", lrFinal);
        put(p, "lrWarmup", lrWarmup);
        put(p, "stepsPerEpoch", stepsPerEpoch);
        put(p, "steps", steps);
        put(p, "batch", batch);
        put(p, "cropPadding", cropPadding);
        if (noMirror) p.setProperty("mirror", "false");
        put(p, "seed", seed);
        put(p, "checkpointEvery", checkpointEvery);
        put(p, "verifyEvery", verifyEvery);
        put(p, "loaderThreads", loaderThreads);
        put(p, "prefetch", prefetch);
        put(p, "workers", workers);
        return p;
    }

    private static boolean fileSets(Path file, String key) {
        Properties p = new Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(file)) {
            p.load(r);
        } catch (java.io.IOException e) {
            return false;
        }
        return p.containsKey(key);
    }

    private static void put(Properties p, String key, Object value) {
        if (value != null) p.setProperty(key, value.toString());
    }

    @Override
    public Integer call() {
        Properties options = given();
        Trainer trainer;
        try {
            if (resume) {
                if (configFile != null) throw new UserError("--config starts a new run; --resume continues the saved one");
                if (epochs != null) throw new UserError("--epochs cannot change a resumed run; use --steps");
                trainer = Trainer.resume(out, options, null);
            } else {
                TrainConfig config = configFile != null ? TrainConfig.load(configFile) : TrainConfig.defaults();
                boolean marginFromFile = configFile != null && fileSets(configFile, "m");
                boolean scaleFromFile = configFile != null && fileSets(configFile, "s");
                config.apply(options, "options");
                // A head named without numbers gets its paper's: ArcFace m = 0.5 at s = 64, SphereFace m = 4.
                String kind = config.head.toLowerCase(Locale.ROOT);
                if (m == null && !marginFromFile && (kind.equals("arcface") || kind.equals("arc"))) config.m = 0.5;
                if (s == null && !scaleFromFile && (kind.equals("arcface") || kind.equals("arc"))) config.s = 64;
                if (m == null && !marginFromFile && kind.startsWith("sphere")) config.m = 4;
                if (epochs != null) config.steps = epochs * config.stepsPerEpoch;
                config.out = out;
                if (config.data == null) throw new UserError("--data DIR is needed (or data = DIR in --config)");
                trainer = Trainer.create(config);
            }
        } catch (TrainingException e) {
            throw new UserError(e.getMessage(), e);
        }
        TrainConfig c = trainer.config();
        System.err.printf(Locale.ROOT, "amface train: %s%s, %d identities, %d images %s -> %s%n", resume ? "resuming at step " + trainer.startStep() + ", " : "",
            c.backbone().name(), trainer.dataset().identityCount(), trainer.dataset().size(), trainer.inputFit(), c.out);
        trainer.progress(quiet ? null : new ConsoleProgress());
        trainer.listener(new TrainListener() {
            @Override
            public void started(TrainInfo info) {
                System.err.printf(Locale.ROOT, "  head %s, %,d parameters, batch %d x %d worker(s), %s, schedule %s%n", info.head(), info.parameters(),
                    c.batch, c.workers, c.optimizer, c.learningRateSchedule().describe());
            }

            @Override
            public void verified(long step, double accuracy, double std) {
                System.err.printf(Locale.ROOT, "%n  step %d: verification accuracy %.2f%% +- %.2f%n", step, 100 * accuracy, 100 * std);
            }
        });

        // Ctrl-C: the trainer checkpoints, and the JVM waits for it before it goes.
        try (StopOnShutdown stop = new StopOnShutdown(trainer::requestStop, "amface-train-stop")) {
            TrainResult r;
            try {
                r = trainer.run();
            } catch (TrainingException e) {
                throw new UserError(e.getMessage(), e);
            }
            System.out.printf(Locale.ROOT, "%s %d steps, loss %.4f%s; %s%n", r.interrupted() ? "stopped after" : "trained", r.step(), r.lastLoss(),
                Double.isNaN(r.verificationAccuracy()) ? "" : String.format(Locale.ROOT, ", verification accuracy %.2f%%", 100 * r.verificationAccuracy()),
                r.interrupted() ? "checkpoint " + r.checkpoint() + " (continue with --resume)" : "model " + r.model());
            System.out.flush();
        }
        return 0;
    }
}
