package amface.notebook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import tech.tablesaw.api.Table;

import amface.eval.VerificationResult;
import amface.train.MetricsLog;
import amface.train.StepMetrics;
import amface.sweep.Sweep;
import amface.sweep.SweepListener;
import amface.sweep.SweepResults;
import amface.sweep.SweepRow;
import amface.sweep.SweepRun;
import amface.train.TrainListener;

/**
 * A sweep shown live in a notebook, as {@link LiveTraining} shows one run: one progress bar, the loss (and, where
 * the recipe verifies while it trains, the verification accuracy) of every run in one chart, and the results table
 * growing as runs finish. A run finished in an earlier session is listed as skipped and still gets its loss curve,
 * read back from its {@code metrics.csv}.
 * <pre>{@code
 * SweepResults results = LiveSweep.create().run(Sweep.of(grid).out(folder));
 * }</pre>
 * Stopping (■) works as for {@link LiveTraining}: the current run saves a checkpoint, the sweep starts no other,
 * and running the cell again resumes where it stopped.
 */
public final class LiveSweep implements SweepListener {
    /** The columns of the results table shown (all of them are in {@code results.csv}). */
    public static final List<String> COLUMNS = List.of("cell", "fold", "seed", "identities", "images", "accuracy", "accuracyStd",
        "auc", "eer", "finalLoss", "seconds");
    private static final int TABLE_ROWS = 30;

    private final LiveChart curves;
    private final LiveProgress progress;
    private long every = 5;
    private volatile Displayed table;
    private volatile SweepResults results;
    private volatile Path out;
    private volatile boolean severalSeeds;

    private LiveSweep(LiveChart curves, LiveProgress progress) {
        this.curves = curves;
        this.progress = progress;
    }

    /** A chart of 600x320 panels (loss; verification accuracy) and a progress bar. */
    public static LiveSweep create() {
        return new LiveSweep(LiveChart.create().xLabel("step").panelSize(600, 320), LiveProgress.create());
    }

    /** Plots every {@code n}-th step of each run's loss (default 5: a sweep draws many curves). */
    public LiveSweep plotEvery(long n) {
        if (n < 1) throw new IllegalArgumentException("plotEvery needs n >= 1, got " + n);
        this.every = n;
        return this;
    }

    /**
     * Runs every run of {@code sweep} that has no row yet, in this thread, with the live chart, progress bar and
     * table (once any earlier, interrupted training in this kernel has stopped); returns all rows.
     */
    public SweepResults run(Sweep sweep) {
        return LiveTraining.exclusively(progress, () -> {
            SweepResults before = sweep.results();
            out = before.out();
            severalSeeds = sweep.config().seeds().size() > 1;
            table = Displayed.show(before.size() == 0 ? MimeBundle.html("<i>no run finished yet</i>", "no run finished yet") : tableOutput(before));
            SweepResults r = sweep.progress(progress).listener(this).run();
            results = r;
            curves.finish();
            progress.finish(r.size() + " runs in " + r.file());
            table.update(tableOutput(r));
            return r;
        });
    }

    /** The results table as shown: {@link #COLUMNS} of {@code results.csv}. */
    public static Table shown(SweepResults r) {
        return r.table().selectColumns(COLUMNS.toArray(String[]::new));
    }

    /** The curve's name for a run: its cell, and seed and fold where the grid has several. */
    public String curveLabel(SweepRun run) {
        return run.cell().label() + (severalSeeds ? " seed " + run.seed() : "") + (run.fold() > 0 ? " fold " + run.fold() : "");
    }

    @Override
    public void runStarting(SweepRun run, int index, int total, Action action) {
        if (action != Action.START) System.out.println(String.format(Locale.ROOT, "run %d/%d %s: %s", index, total, run.label(), action.name().toLowerCase(Locale.ROOT)));
        if (action == Action.SKIP) replayLoss(run);
    }

    @Override
    public TrainListener trainListener(SweepRun run) {
        String label = curveLabel(run);
        return new TrainListener() {
            @Override
            public void step(StepMetrics m) {
                if (m.step() % every == 0) curves.add("loss", label, m.step(), m.loss());
            }

            @Override
            public void verified(long step, double accuracy, double accuracyStd) {
                curves.add("verification accuracy", label, step, accuracy);
            }
        };
    }

    @Override
    public void runFinished(SweepRun run, SweepRow row, VerificationResult result) {
        Displayed t = table;
        SweepResults now = SweepResults.read(out);
        if (t != null) t.update(tableOutput(now));
    }

    /** A run finished earlier: its loss curve from its metrics.csv. */
    private void replayLoss(SweepRun run) {
        Path file = run.dir(out).resolve(MetricsLog.FILE);
        try {
            Table m = MetricsLog.read(file, Long.MAX_VALUE).table();
            if (m.rowCount() == 0) System.out.println("  its run folder holds no " + MetricsLog.FILE + ": no loss curve");
            String label = curveLabel(run);
            for (int i = 0; i < m.rowCount(); i++) {
                long step = (long) m.numberColumn("step").getDouble(i);
                if (step % every == 0) curves.add("loss", label, step, m.numberColumn("loss").getDouble(i));
            }
        } catch (IOException e) {
            System.out.println("  no loss curve for " + run.label() + ": " + e.getMessage());
        }
    }

    private static MimeBundle tableOutput(SweepResults r) {
        return Display.tableOutput(shown(r), TABLE_ROWS);
    }

    /** The chart (its series hold every plotted point). */
    public LiveChart chart() { return curves; }

    public LiveProgress progress() { return progress; }

    /** The results table's output area (null before {@link #run}). */
    public Displayed table() { return table; }

    /** What the last {@link #run} returned (null while it runs). */
    public SweepResults results() { return results; }
}
