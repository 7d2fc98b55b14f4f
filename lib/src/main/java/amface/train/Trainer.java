package amface.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import amface.data.DatasetException;
import amface.data.IdentityDataset;
import amface.data.Progress;
import amface.eval.VerificationResult;
import amface.head.MarginSoftmax;
import amface.head.MarginSoftmaxLayer;
import amface.image.BadImageException;
import amface.image.InputFit;
import amface.image.RgbImage;
import amface.image.TensorLayout;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.ModelMetadata;
import amface.nn.layers.MixedPrecision;

/**
 * Trains a face-embedding network with a margin head: the reference recipe by default (see {@link TrainConfig}).
 * <pre>
 *   TrainResult r = Trainer.create(config).progress(bar).listener(plot).run();
 *   TrainResult r = Trainer.resume(runDir).run();          // continues from runDir/checkpoint.zip
 * </pre>
 * A run folder holds {@code checkpoint.zip} (written every {@code checkpointEvery} steps, at the end and on an
 * interrupt), {@code metrics.csv}, {@code config.properties} and, once finished, {@code model.zip} (a
 * {@link FaceModel} for {@code amface embed}). With a fixed seed a resumed run reproduces the
 * losses of an uninterrupted one. Interrupting the training thread (or {@link #requestStop()}) saves a checkpoint
 * and returns; a NaN or infinite loss stops with a message naming the step and leaves the last checkpoint intact.
 */
public final class Trainer {
    public static final String CHECKPOINT = "checkpoint.zip";
    public static final String CONFIG_FILE = "config.properties";
    public static final String MODEL = "model.zip";
    /** Graph vertex names: the input, the embedding (from the backbone) and the head. */
    public static final String INPUT = "input";
    public static final String HEAD = "head";
    /** Settings that may change when a run is resumed; all others must match the checkpoint. */
    public static final Set<String> RESUMABLE_CHANGES = Set.of("data", "steps", "checkpointEvery", "verifyEvery", "loaderThreads",
        "prefetch", "workers", "pairs", "pairsRoot", "pairsExtension", "cacheImages", "out");
    private static final long DROPOUT_SALT = 0x2545F4914F6CDD1DL;

    private final TrainConfig config;
    private final IdentityDataset dataset;
    private final ComputationGraph graph;
    private final String embeddingVertex;
    private final long startStep;
    private final double startSeconds;
    private final MetricsLog metrics;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final LearningRateSchedule schedule;
    private PairVerification verification;
    private RunFolder folder;
    private String inputFit;
    private Progress progress = Progress.NONE;
    private DataParallel dataParallel;
    private double lastVerification = Double.NaN;
    private long lastCheckpointStep;

    private Trainer(TrainConfig config, IdentityDataset dataset, ComputationGraph graph, long startStep, double startSeconds,
                    MetricsLog metrics) {
        this.config = config;
        this.dataset = dataset;
        this.graph = graph;
        this.embeddingVertex = embeddingVertexOf(graph);
        this.startStep = startStep;
        this.startSeconds = startSeconds;
        this.metrics = metrics;
        this.schedule = config.learningRateSchedule();
        this.lastCheckpointStep = startStep > 0 ? startStep : -1;
    }

    /** A new run on the images under {@code config.data}. */
    public static Trainer create(TrainConfig config) {
        config.validate();
        return create(config, scan(config.data));
    }

    /** A new run on a dataset made in code (a split, a filtered set); {@code config.data} is only recorded. */
    public static Trainer create(TrainConfig config, IdentityDataset dataset) {
        config = config.clone();
        if (config.data == null) config.data = dataset.root();
        config.validate();
        checkDataset(dataset);
        // Owned before the checkpoint check, so that two runs started at once cannot both pass it.
        RunFolder folder = RunFolder.own(config.out, "amface train (new run, " + config.backbone().name() + ", head " + config.head + ")");
        try {
            Path checkpoint = config.out.resolve(CHECKPOINT);
            if (Files.exists(checkpoint)) {
                throw new TrainingException(config.out + " already holds a checkpoint (" + peekStep(checkpoint)
                    + "): resume it (--resume) or choose another run folder; it is never overwritten");
            }
            FaceModel init = config.init == null ? null : FineTuning.initModel(config);
            String fit = inputFit(dataset, config.backbone());
            ComputationGraph graph = buildGraph(config, dataset.identityCount());
            if (init != null) init.copyBackboneTo(graph, "");
            Trainer t = new Trainer(config.clone(), dataset, graph, 0, 0, new MetricsLog());
            t.folder = folder;
            t.inputFit = fit;
            deleteStaleRecord(config.out);
            folder.record(t.config, dataset.identities());
            t.writeConfig();
            return t;
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** A record without a checkpoint is of a run that never saved one: the new run replaces it. */
    private static void deleteStaleRecord(Path out) {
        try {
            Files.deleteIfExists(out.resolve(RunFolder.RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot replace the run record: " + e.getMessage(), e);
        }
    }

    /** Continues the run in {@code runDir} from its checkpoint, on the data its config names. */
    public static Trainer resume(Path runDir) {
        return resume(runDir, new Properties(), null);
    }

    /**
     * Continues the run in {@code runDir}. {@code changes} may alter only {@link #RESUMABLE_CHANGES} (more steps,
     * a moved data folder, other loader threads...); {@code dataset}, if not null, replaces the scan of the data.
     */
    public static Trainer resume(Path runDir, Properties changes, IdentityDataset dataset) {
        RunFolder folder = RunFolder.own(runDir, "amface train --resume");
        try {
            Trainer t = resume(folder, changes, dataset);
            t.folder = folder;
            return t;
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private static Trainer resume(RunFolder folder, Properties changes, IdentityDataset dataset) {
        Path runDir = folder.dir();
        Path file = runDir.resolve(CHECKPOINT);
        Checkpoint cp;
        try {
            cp = Checkpoint.read(file);
        } catch (IOException e) {
            throw new TrainingException(file + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
        folder.requireSameRun(file, cp.config(), cp.identities());
        TrainConfig config = cp.config().clone();
        Properties saved = config.toProperties();
        TreeSet<String> refused = new TreeSet<>();
        for (String key : changes.stringPropertyNames()) {
            String now = changes.getProperty(key);
            if (!RESUMABLE_CHANGES.contains(key) && !now.equals(saved.getProperty(key))) refused.add(key + " (checkpoint: " + saved.getProperty(key) + ", given: " + now + ")");
        }
        if (!refused.isEmpty()) {
            throw new TrainingException(file + ": a resumed run keeps its recipe; these settings differ from the checkpoint's: " + String.join(", ", refused));
        }
        config.apply(changes, "resume options");
        config.out = runDir;
        config.validate();
        IdentityDataset data = dataset != null ? dataset : scan(config.data);
        checkDataset(data);
        if (data.identityCount() != cp.state().classes()) {
            throw new TrainingException("the data under " + data.root() + " has " + data.identityCount() + " identities, the checkpoint "
                + file + " was trained on " + cp.state().classes() + ": resume on the same data, or start a new run");
        }
        if (!data.identities().equals(cp.identities())) {
            List<String> missing = new ArrayList<>(cp.identities());
            missing.removeAll(data.identities());
            throw new TrainingException("the identities under " + data.root() + " differ from the checkpoint's " + file
                + " (first missing: " + missing.stream().limit(5).toList() + "): resume on the same data");
        }
        if (cp.state().step() > config.steps) {
            throw new TrainingException(file + " is at step " + cp.state().step() + ", past steps = " + config.steps + ": raise --steps to train on");
        }
        MetricsLog log;
        try {
            log = MetricsLog.read(runDir.resolve(MetricsLog.FILE), cp.state().step());
        } catch (IOException | RuntimeException e) {
            throw new TrainingException(runDir.resolve(MetricsLog.FILE) + ": cannot read the metrics: " + e.getMessage(), e);
        }
        String fit = inputFit(data, config.backbone());
        Trainer t = new Trainer(config, data, cp.graph(), cp.state().step(), cp.state().seconds(), log);
        t.inputFit = fit;
        t.writeConfig();
        return t;
    }

    private static String peekStep(Path checkpoint) {
        try {
            return "step " + Checkpoint.readState(checkpoint).step();
        } catch (IOException | RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static IdentityDataset scan(Path data) {
        try {
            return IdentityDataset.scan(data);
        } catch (DatasetException e) {
            throw new TrainingException(e.getMessage(), e);
        }
    }

    /**
     * How the images meet the model's input ({@link InputFit}), judged on the first image before any work: "used as
     * they are" or "resized from ..."; images the rule refuses stop the run here, naming both sizes.
     */
    private static String inputFit(IdentityDataset d, BackboneSpec spec) {
        BadImageException unreadable = null;
        for (int i = 0; i < Math.min(d.size(), 5); i++) { // the first readable one; the loader names any bad image later
            RgbImage img;
            try {
                img = d.read(d.get(i));
            } catch (BadImageException e) {
                unreadable = e;
                continue;
            }
            String fit = InputFit.describe(img.width(), img.height(), spec.inputWidth(), spec.inputHeight());
            if (fit == null) throw new TrainingException(d.file(d.get(i)) + " " + InputFit.refusal(img.width(), img.height(), spec.inputWidth(), spec.inputHeight()));
            return fit;
        }
        throw new TrainingException("cannot read training image " + unreadable.file() + ": " + unreadable.reason(), unreadable);
    }

    static void checkDataset(IdentityDataset d) {
        if (d.size() == 0) throw new TrainingException(d.root() + ": no training images (expected ROOT/identity/image.jpg)");
        if (d.identityCount() < 2) {
            throw new TrainingException(d.root() + ": only one identity (" + d.identities().get(0) + "): a margin head needs at least 2 classes");
        }
    }

    /** The network for a config: input -> backbone -> head, with the config's optimizer, schedule and weight decay. */
    public static ComputationGraph buildGraph(TrainConfig c, int classes) {
        BackboneSpec spec = c.backbone();
        LearningRateSchedule schedule = c.learningRateSchedule();
        IUpdater updater = switch (c.optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new SgdMomentum(schedule, c.momentum);
            case "nesterov" -> new Nesterovs(schedule, c.momentum);
            case "adam" -> new Adam(schedule);
            default -> throw new IllegalArgumentException("optimizer must be sgd, nesterov or adam, got '" + c.optimizer + "'");
        };
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(c.seed).dataType(DataType.FLOAT).updater(updater)
            .l2(c.weightDecay).trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
            .graphBuilder().addInputs(INPUT).setInputTypes(spec.inputType());
        String embedding = spec.addTo(g, INPUT);
        g.addLayer(HEAD, c.headSpec().layer(spec.embeddingSize(), classes), embedding).setOutputs(HEAD);
        ComputationGraphConfiguration conf = g.build();
        FineTuning.applyTo(conf, c, HEAD);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static String embeddingVertexOf(ComputationGraph graph) {
        String[] inputs = graph.getConfiguration().getVertexInputs().get(HEAD).toArray(new String[0]);
        if (inputs.length != 1) throw new TrainingException("the network's head must have one input, it has " + inputs.length);
        return inputs[0];
    }

    public Trainer listener(TrainListener l) {
        listeners.add(l);
        return this;
    }

    /** Trains with {@code engine} (Spark's training masters, for example) instead of on this process's cores. */
    public Trainer dataParallel(DataParallel engine) {
        this.dataParallel = engine;
        return this;
    }

    public Trainer progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    /** Periodic verification on these pairs (replaces the config's pairs file). */
    public Trainer verifyOn(PairVerification pairs) {
        this.verification = pairs;
        return this;
    }

    /** Asks the run to save a checkpoint and return after the current step (any thread; e.g. a Ctrl-C hook). */
    public void requestStop() {
        stopRequested.set(true);
    }

    public ComputationGraph graph() { return graph; }

    public TrainConfig config() { return config; }

    public IdentityDataset dataset() { return dataset; }

    public MetricsLog metrics() { return metrics; }

    /** The name of the embedding vertex (the head's input). */
    public String embeddingVertex() { return embeddingVertex; }

    public long startStep() { return startStep; }

    /** How the training images meet the model's input: "used as they are (HxW)" or "resized from HxW to HxW (...)". */
    public String inputFit() { return inputFit; }

    public Path checkpointFile() { return config.out.resolve(CHECKPOINT); }

    /** The trained model written at the end of a run ({@link FaceModel}: backbone, head, identity names). */
    public Path modelFile() { return config.out.resolve(MODEL); }

    /** Trains until {@code config.steps}, an interrupt or an error; then releases the run folder. */
    public TrainResult run() {
        try (MixedPrecision.Scope ignored = MixedPrecision.use(config.resolvedPrecision())) {
            return runOwned();
        } finally {
            close();
        }
    }

    /** Releases the run folder without training (a trainer that will not be run); {@link #run} does it itself. */
    public void close() {
        if (folder != null) folder.close();
    }

    private TrainResult runOwned() {
        if (verification == null && config.pairs != null) verification = loadPairs();
        BackboneSpec spec = config.backbone();
        int height = spec.inputHeight();
        int width = spec.inputWidth();
        boolean cache = switch (config.cacheImages) {
            case "true" -> true;
            case "false" -> false;
            default -> TrainingImages.fitsInMemory(dataset.size(), height, width);
        };
        TrainingImages images = new TrainingImages(dataset, height, width, cache);
        MarginSoftmax headConf = (MarginSoftmax) graph.getLayer(HEAD).conf().getLayer();
        TrainListener.TrainInfo info = new TrainListener.TrainInfo(startStep, config.steps, dataset.identityCount(), dataset.size(),
            spec.name(), headConf.describe(), graph.numParams());
        listeners.forEach(l -> l.started(info));
        progress.start("train", config.steps);
        if (startStep > 0) {
            progress.alreadyDone(startStep);
            progress.update(startStep, "resumed");
        }
        int workers = config.workers;
        long step = startStep;
        boolean interrupted = false;
        long sessionStart = System.nanoTime();
        double lastLoss = Double.NaN;
        try (BatchLoader loader = new BatchLoader(images, config.batch, config.seed, config.cropPadding, config.mirror, height, width,
            config.loaderThreads, config.prefetch, config.pixelNormalisation())) {
            StepClock clock = new StepClock();
            if (dataParallel != null) {
                DataParallel.Result o = dataParallel.run(new DataParallel.Steps(this, loader, sessionStart), step);
                step = o.step();
                interrupted = o.interrupted();
                lastLoss = o.lastLoss();
            } else if (workers > 1) {
                ParallelTraining pt = new ParallelTraining(this, loader, workers, height, width);
                try {
                    ParallelTraining.Outcome o = pt.run(step, sessionStart);
                    step = o.step();
                    interrupted = o.interrupted();
                    lastLoss = o.lastLoss();
                } finally {
                    pt.close();
                }
            } else {
                MarginSoftmaxLayer head = (MarginSoftmaxLayer) graph.getLayer(HEAD);
                loader.start(step);
                while (step < config.steps) {
                    if (stopRequested.get() || Thread.currentThread().isInterrupted()) {
                        interrupted = true;
                        break;
                    }
                    BatchLoader.Batch b;
                    try {
                        b = loader.take();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        break;
                    } catch (TrainingException e) {
                        throw failAfterCheckpoint(step, e.getMessage(), e);
                    }
                    double lr = schedule.at(step);
                    try {
                        fitOne(b, height, width);
                    } catch (amface.nn.layers.NonFiniteException e) {
                        throw failAfterCheckpoint(step, String.format(Locale.ROOT, "training diverged at step %d (lr %g): %s", step + 1, lr, e.getMessage()), e);
                    }
                    step++;
                    lastLoss = head.lastLoss();
                    afterStep(step, lastLoss, head.lastAccuracy(), lr, clock.tick(config.batch), loader, sessionStart);
                }
            }
            Thread.interrupted(); // file writes below must not be cut by a pending interrupt
            if (!interrupted && step >= config.steps && verification != null && (config.verifyEvery == 0 || step % config.verifyEvery != 0)) {
                verify(step);
            }
            if (step != lastCheckpointStep) saveCheckpoint(step, sessionStart);
            if (!interrupted) embeddingModel(spec).save(modelFile());
        }
        double seconds = startSeconds + (System.nanoTime() - sessionStart) / 1e9;
        TrainResult result = new TrainResult(config.out, step, interrupted, lastLoss, lastVerification, checkpointFile(),
            interrupted ? null : modelFile(), seconds);
        progress.finish(String.format(Locale.ROOT, "%s at step %d, loss %.4f%s, %.0f s%s", interrupted ? "stopped" : "done", step, lastLoss,
            Double.isNaN(lastVerification) ? "" : String.format(Locale.ROOT, ", verification %.2f%%", 100 * lastVerification), seconds,
            interrupted ? " (checkpoint saved: resume with --resume)" : ""));
        listeners.forEach(l -> l.finished(result));
        return result;
    }


    private void fitOne(BatchLoader.Batch b, int height, int width) {
        INDArray x = Nd4j.create(b.features(), TensorLayout.NHWC.shape(b.labels().length, height, width), 'c');
        INDArray y = oneHot(b.labels(), dataset.identityCount());
        // Dropout draws from ND4J's generator: reseeding it from (seed, step) makes a resumed run draw the same masks.
        Nd4j.getRandom().setSeed(BatchLoader.mix(config.seed ^ DROPOUT_SALT, b.step()));
        graph.fit(new MultiDataSet(x, y));
    }

    /**
     * The trained backbone as an embedding-only {@link FaceModel} (the head stays in the checkpoint), with the
     * identity names: what {@code amface embed} and the evaluator need.
     */
    public FaceModel embeddingModel() {
        return embeddingModel(config.backbone());
    }

    private FaceModel embeddingModel(BackboneSpec spec) {
        ComputationGraph embedding = spec.embeddingGraph(DataType.FLOAT, config.seed);
        FaceModel.copyBackbone(graph, "", embedding, "", spec);
        return new FaceModel(embedding, spec, "", dataset.identities(), ModelMetadata.DEFAULT.withNormalisation(config.pixelNormalisation()));
    }

    static INDArray oneHot(int[] labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) y.putScalar(i, labels[i], 1f);
        return y;
    }

    /** Metrics, NaN check, verification and checkpoints after a step (also called by the data-parallel path). */
    void afterStep(long step, double loss, double accuracy, double lr, double imagesPerSecond, BatchLoader loader, long sessionStart) {
        if (!Double.isFinite(loss)) {
            throw failAfterCheckpoint(step, String.format(Locale.ROOT, "the loss became %s at step %d (lr %g)", loss, step, lr), null);
        }
        double sessionSeconds = (System.nanoTime() - sessionStart) / 1e9;
        StepMetrics m = new StepMetrics(step, (step - 1) / config.stepsPerEpoch, loss, accuracy, lr,
            imagesPerSecond, loader.imagesPerThreadSecond() * config.loaderThreads,
            sessionSeconds > 0 ? Math.min(1, loader.waitSeconds() / sessionSeconds) : 0,
            Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), Pointer.totalBytes(),
            startSeconds + sessionSeconds);
        metrics.add(m);
        listeners.forEach(l -> l.step(m));
        progress.update(step, String.format(Locale.ROOT, "loss %.4f acc %.3f lr %.3g", loss, accuracy, lr));
        if (verification != null && config.verifyEvery > 0 && step % config.verifyEvery == 0) verify(step);
        if (step % config.checkpointEvery == 0 && step < config.steps) saveCheckpoint(step, sessionStart);
    }

    TrainingException failAfterCheckpoint(long step, String what, Throwable cause) {
        try {
            metrics.write(config.out.resolve(MetricsLog.FILE));
        } catch (IOException ignored) {
            // the message below matters more than the metrics file
        }
        String kept = lastCheckpointStep >= 0 || startStep > 0
            ? "; the checkpoint of step " + Math.max(lastCheckpointStep, startStep) + " in " + config.out + " is intact"
            : "; no checkpoint was written yet";
        String hint = what.startsWith("the loss") || what.startsWith("training diverged")
            ? " (lower the learning rate or add a margin warm-up, --margin-warmup)" : "";
        return new TrainingException(what + hint + kept, cause);
    }

    private void verify(long step) {
        try {
            VerificationResult r = verification.evaluate(graph, embeddingVertex, config.backbone().inputHeight(),
                config.backbone().inputWidth(), Math.min(64, config.batch), config.pixelNormalisation());
            lastVerification = r.accuracyMean();
            metrics.verified(step, lastVerification);
            listeners.forEach(l -> l.verified(step, r.accuracyMean(), r.accuracyStd()));
        } catch (BadImageException e) {
            throw failAfterCheckpoint(step, "cannot read verification image " + e.file() + ": " + e.reason(), e);
        }
    }

    private PairVerification loadPairs() {
        try {
            return PairVerification.of(amface.data.LfwPairs.read(config.pairs).resolve(config.pairsRoot, config.pairsExtension));
        } catch (DatasetException e) {
            throw new TrainingException(e.getMessage(), e);
        }
    }

    void saveCheckpoint(long step, long sessionStart) {
        graph.getConfiguration().setIterationCount((int) step);
        long[] pos = new long[] {step * config.batch * config.workers / dataset.size(), step * config.batch * config.workers % dataset.size()};
        TrainState state = new TrainState(step, step / config.stepsPerEpoch, pos[0], pos[1], config.seed, dataset.identityCount(),
            startSeconds + (System.nanoTime() - sessionStart) / 1e9);
        Path file = checkpointFile();
        try {
            metrics.write(config.out.resolve(MetricsLog.FILE));
            new Checkpoint(graph, state, config, dataset.identities()).write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
        lastCheckpointStep = step;
        listeners.forEach(l -> l.checkpointed(step, file));
    }

    private void writeConfig() {
        try {
            Files.createDirectories(config.out);
            amface.io.AtomicFile.writeString(config.out.resolve(CONFIG_FILE), config.toPropertiesText());
        } catch (IOException e) {
            throw new UncheckedIOException(config.out + ": cannot write the run config: " + e.getMessage(), e);
        }
    }

    boolean stopRequestedOrInterrupted() {
        return stopRequested.get() || Thread.currentThread().isInterrupted();
    }

    LearningRateSchedule schedule() { return schedule; }

    /** Images per second over the last steps. */
    static final class StepClock {
        private final ArrayDeque<long[]> window = new ArrayDeque<>();
        private long last = System.nanoTime();

        double tick(int images) {
            long now = System.nanoTime();
            window.add(new long[] {now - last, images});
            last = now;
            if (window.size() > 20) window.poll();
            long nanos = 0, count = 0;
            for (long[] w : window) {
                nanos += w[0];
                count += w[1];
            }
            return nanos == 0 ? 0 : count / (nanos / 1e9);
        }
    }
}
