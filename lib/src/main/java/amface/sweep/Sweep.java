package amface.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import amface.io.AtomicFile;
import amface.data.DatasetException;
import amface.data.Progress;
import amface.eval.OriginalAndMirrored;
import amface.eval.VerificationResult;
import amface.head.MarginSoftmaxLayer;
import amface.nn.FaceModel;
import amface.train.TrainConfig;
import amface.train.Trainer;
import amface.train.TrainingException;
import amface.train.Checkpoint;
import amface.train.MetricsLog;
import amface.train.PairVerification;
import amface.train.TrainListener;
import amface.train.TrainResult;
import amface.train.TrainState;
import amface.train.RunFolder;

/**
 * Runs a {@link SweepConfig}'s grid: every run a normal training run folder {@code OUT/runs/HASH/}, every finished
 * run one row of {@code OUT/results.csv}, then the summary table and plot ({@link SweepResults}).
 * <pre>{@code
 * SweepResults r = Sweep.load(Path.of("configs/sweep-synthetic.properties")).out(Path.of("runs/sweep"))
 *     .progress(bar).listener(live).run();
 * Display.table(r.summary()); Display.chart(r.chart());
 * }</pre>
 * Resuming is by the runs' hashes: a run with a row is skipped (never retrained or re-evaluated); a run folder with
 * {@code model.zip} but no row is evaluated only; one with a checkpoint continues from it
 * ({@link Trainer#resume}); any other run starts. So a sweep killed at any moment and started again repeats no
 * finished run, and one that finished does nothing the second time. The files are checked, not trusted: a damaged
 * {@code model.zip} or checkpoint is moved aside ({@link RunFolder#inspect}) and that run redone from what is whole.
 * The sweep folder is owned by one sweep at a time ({@link RunFolder#own}).
 */
public final class Sweep {
    private final SweepConfig config;
    private Path out;
    private Progress progress = Progress.NONE;
    private final List<SweepListener> listeners = new ArrayList<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile Trainer current;

    private Sweep(SweepConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public static Sweep of(SweepConfig config) {
        return new Sweep(config);
    }

    /** The sweep of a config file ({@link SweepConfig#load}). */
    public static Sweep load(Path configFile) {
        return new Sweep(SweepConfig.load(configFile));
    }

    /** The sweep's output folder: results.csv, summary files, runs/HASH/, data/ (synthetic faces). */
    public Sweep out(Path dir) {
        this.out = dir;
        return this;
    }

    /** Where each run's training (and evaluation embedding) progress goes. */
    public Sweep progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    public Sweep listener(SweepListener l) {
        listeners.add(l);
        return this;
    }

    public SweepConfig config() { return config; }

    /** Asks the sweep to stop: the current run saves a checkpoint and returns, no further run starts (any thread). */
    public void requestStop() {
        stopRequested.set(true);
        Trainer t = current;
        if (t != null) t.requestStop();
    }

    private Path outDir() {
        if (out == null) throw new IllegalStateException("no output folder: call out(dir) first");
        return out;
    }

    /** The runs of the grid in the order they are run (folds, seeds, backbones, scales, cells); duplicates once. */
    public List<SweepRun> runs() {
        try {
            return runs(SweepProtocol.of(config, outDir()));
        } catch (DatasetException e) {
            throw new TrainingException(e.getMessage(), e);
        }
    }

    private List<SweepRun> runs(SweepProtocol protocol) {
        Map<String, SweepRun> byHash = new LinkedHashMap<>();
        for (int fold : protocol.folds()) {
            for (long seed : config.seeds()) {
                for (SweepModel model : config.models()) {
                    for (double s : config.scales()) {
                        for (SweepCell cell : config.cells()) {
                            TrainConfig c = model.applyTo(config.base(), config.source());
                            cell.applyTo(c, s);
                            c.seed = seed;
                            SweepRun run = new SweepRun(cell, s, model, seed, fold, protocol.name(), protocol.dataIdentity(fold), config.flip(), c);
                            byHash.putIfAbsent(run.hash(), run); // softmax ignores s: one run, not one per scale
                        }
                    }
                }
            }
        }
        return List.copyOf(byHash.values());
    }

    /** What is in {@code OUT/results.csv} now, without training. */
    public SweepResults results() {
        return SweepResults.read(outDir());
    }

    /**
     * Rewrites the summary files from the finished rows of this grid's runs (rows of other grids in the same
     * {@code results.csv} are left out), without training; returns those rows.
     */
    public SweepResults summarise() {
        SweepResults grid = gridResults();
        grid.writeSummary();
        return grid;
    }

    /** The finished rows of this grid's runs (read-only; other grids' rows in the folder's results.csv left out). */
    public SweepResults gridResults() {
        return ofRuns(results(), runs());
    }

    private static SweepResults ofRuns(SweepResults all, List<SweepRun> runs) {
        return all.only(runs.stream().map(SweepRun::hash).toList());
    }

    /**
     * Trains and evaluates every run without a row; returns the grid's rows (those of its runs; other grids' rows in
     * the folder stay in results.csv but not in the summary). Stops early (checkpoint saved) on {@link #requestStop}.
     */
    public SweepResults run() {
        Path dir = outDir();
        // One sweep per folder: a second sweep (another process, or this one twice) is refused naming the holder.
        try (RunFolder owned = RunFolder.own(dir, "amface sweep")) {
            return runOwned(dir);
        }
    }

    private SweepResults runOwned(Path dir) {
        SweepResults results = SweepResults.read(dir);
        SweepProtocol protocol;
        try {
            protocol = SweepProtocol.of(config, dir);
        } catch (DatasetException e) {
            throw new TrainingException(e.getMessage(), e);
        }
        List<SweepRun> runs = runs(protocol);
        // rows written before backbones were named by their settings (all said the config's "resface20") get the
        // honest name; their hashes, and so their runs, stay what they were
        results.relabel(runs.stream().collect(java.util.stream.Collectors.toMap(SweepRun::hash, SweepRun::modelName)));
        int finished = (int) runs.stream().filter(r -> results.contains(r.hash())).count();
        listeners.forEach(l -> l.planned(runs.size(), finished));
        SweepResults grid;
        try {
            for (int i = 0; i < runs.size() && !stopRequested.get(); i++) {
                SweepRun run = runs.get(i);
                if (results.contains(run.hash())) {
                    int index = i + 1;
                    listeners.forEach(l -> l.runStarting(run, index, runs.size(), SweepListener.Action.SKIP));
                    continue;
                }
                if (!runOne(run, i + 1, runs.size(), protocol, results)) break;
            }
        } finally {
            grid = ofRuns(results, runs);
            grid.writeSummary();
        }
        return grid;
    }

    /** Trains (or resumes) and evaluates one run; false when it was stopped. */
    private boolean runOne(SweepRun run, int index, int total, SweepProtocol protocol, SweepResults results) {
        Path runDir = run.dir(out);
        // Verified, not trusted: a damaged model or checkpoint (a crash, a full disk) is set aside and the run redone.
        SweepListener.Action action = switch (RunFolder.inspect(runDir, System.err::println)) {
            case FINISHED -> SweepListener.Action.EVALUATE;
            case CHECKPOINT -> SweepListener.Action.RESUME;
            case EMPTY -> SweepListener.Action.START;
        };
        listeners.forEach(l -> l.runStarting(run, index, total, action));
        SweepProtocol.Data data;
        try {
            data = protocol.data(run.fold(), progress);
        } catch (DatasetException e) {
            throw new TrainingException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        listeners.forEach(l -> l.data(run, data));
        if (action != SweepListener.Action.EVALUATE) {
            TrainConfig c = run.config();
            c.data = data.train().root();
            c.out = runDir;
            try {
                Files.createDirectories(runDir);
                AtomicFile.writeString(runDir.resolve(SweepRun.DEFINITION_FILE), "# what this run's hash " + run.hash() + " is taken of\n" + run.definition());
            } catch (IOException e) {
                throw new UncheckedIOException(runDir + ": cannot write the run definition: " + e.getMessage(), e);
            }
            Trainer trainer;
            if (action == SweepListener.Action.RESUME) {
                Properties changes = c.toProperties();
                changes.remove("schedule"); // its content is part of the hash; the path may have moved
                trainer = Trainer.resume(runDir, changes, data.train());
            } else {
                trainer = Trainer.create(c, data.train());
            }
            trainer.progress(progress);
            for (SweepListener l : listeners) {
                TrainListener t = l.trainListener(run);
                if (t != null) trainer.listener(t);
            }
            if (c.verifyEvery > 0) {
                try {
                    trainer.verifyOn(PairVerification.of(data.test().pairs().resolve(data.test().root(), data.test().extension())));
                } catch (DatasetException e) {
                    throw new TrainingException(e.getMessage(), e);
                }
            }
            current = trainer;
            if (stopRequested.get()) trainer.requestStop();
            TrainResult r;
            try {
                r = trainer.run();
            } finally {
                current = null;
            }
            if (r.interrupted()) return false;
        }
        SweepRow row;
        VerificationResult v;
        try {
            v = evaluate(runDir, data);
            row = row(run, runDir, data, v);
        } catch (IOException e) {
            throw new UncheckedIOException(runDir + ": " + e.getMessage(), e);
        }
        results.add(row);
        listeners.forEach(l -> l.runFinished(run, row, v));
        return true;
    }

    private VerificationResult evaluate(Path runDir, SweepProtocol.Data data) throws IOException {
        FaceModel model = FaceModel.load(runDir.resolve(Trainer.MODEL));
        OriginalAndMirrored embeddings = data.test().embed(model, progress);
        VerificationResult v = data.test().evaluate(embeddings, config.flip());
        SweepResults.writeDistances(runDir, v);
        return v;
    }

    private static SweepRow row(SweepRun run, Path runDir, SweepProtocol.Data data, VerificationResult v) throws IOException {
        Path checkpoint = runDir.resolve(Trainer.CHECKPOINT);
        TrainState state = Checkpoint.readState(checkpoint);
        double[] losses = MetricsLog.read(runDir.resolve(MetricsLog.FILE), state.step()).losses();
        double finalLoss = losses.length == 0 ? Double.NaN : losses[losses.length - 1];
        TrainConfig c = run.config();
        double finalScale = Double.NaN;
        if (c.learnScale) {
            MarginSoftmaxLayer head = (MarginSoftmaxLayer) Checkpoint.read(checkpoint).graph().getLayer(Trainer.HEAD);
            finalScale = head.scale();
        }
        return new SweepRow(run.hash(), run.protocol(), run.fold(), run.seed(), run.cell().label(), run.cell().head(), run.cell().m(), c.s,
            c.learnScale, run.modelName(), data.train().identityCount(), data.train().size(), v.accuracyMean(), v.accuracyStd(), v.auc(),
            v.eer(), v.val(), v.far(), finalLoss, finalScale, state.step(), state.seconds(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
