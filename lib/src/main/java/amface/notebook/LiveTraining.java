package amface.notebook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import tech.tablesaw.api.Table;

import amface.train.StepMetrics;
import amface.train.TrainListener;
import amface.train.TrainResult;
import amface.train.Trainer;

/**
 * A training run shown live in a notebook: a progress bar and a chart of loss, accuracy (the batch's, and the
 * periodic verification accuracy on held-out pairs) and learning rate that redraw in place while the cell runs.
 * <pre>{@code
 * TrainResult r = LiveTraining.create().run(Trainer.create(config));
 * }</pre>
 *
 * <p><b>Interrupting.</b> The kernel's interrupt (the ■ button) interrupts the cell's thread; the trainer notices
 * before its next step, saves a checkpoint and returns. JJava ends the cell at once, while the trainer may still be
 * finishing its step and writing the checkpoint, so every run here first waits for an earlier, interrupted one to
 * finish, and a cell that reads its checkpoint calls {@link #awaitStopped()} first.
 */
public final class LiveTraining implements TrainListener {
    /** One training at a time per kernel; held from start to checkpoint, also by an interrupted cell's thread. */
    private static final ReentrantLock RUNNING = new ReentrantLock();

    private final LiveChart chart;
    private final LiveProgress progress;
    private volatile TrainInfo info;
    private volatile TrainResult result;
    private volatile Throwable failure;
    private volatile Path lastCheckpoint;
    private volatile long steps;
    private long every = 1;

    private LiveTraining(LiveChart chart, LiveProgress progress) {
        this.chart = chart;
        this.progress = progress;
    }

    /** A chart with panels loss, accuracy and learning rate (log scale), and a progress bar. */
    public static LiveTraining create() {
        return new LiveTraining(LiveChart.create().xLabel("step").logY("learning rate").panelSize(360, 270), LiveProgress.create());
    }

    /** Shows this chart and progress bar instead of the defaults. */
    public static LiveTraining with(LiveChart chart, LiveProgress progress) {
        return new LiveTraining(chart, progress);
    }

    /** Plots every {@code n}-th step only (long runs: the chart keeps all points, and drawing cost grows with them). */
    public LiveTraining plotEvery(long n) {
        if (n < 1) throw new IllegalArgumentException("plotEvery needs n >= 1, got " + n);
        this.every = n;
        return this;
    }

    /**
     * Runs {@code trainer} in this thread with the live chart and progress bar, after any earlier run in this
     * kernel has stopped; returns how it ended ({@link TrainResult#interrupted()} after an interrupt).
     */
    public TrainResult run(Trainer trainer) {
        return exclusively(progress, () -> {
            try {
                if (trainer.startStep() > 0) plotHistory(trainer.metrics().table());
                trainer.listener(this).progress(progress);
                TrainResult r = trainer.run();
                chart.finish();
                return r;
            } catch (RuntimeException | Error e) {
                failure = e; // after an interrupt the cell has already ended: keep what went wrong for a later cell
                throw e;
            }
        });
    }

    /**
     * Runs {@code job} (training of any kind: one run, a sweep) once no other training runs in this kernel, saying
     * on {@code progress} when it has to wait for an interrupted one.
     */
    static <T> T exclusively(LiveProgress progress, Supplier<T> job) {
        if (!RUNNING.tryLock()) {
            progress.start("waiting for the interrupted training to save its checkpoint", 0);
            RUNNING.lock();
        }
        try {
            return job.get();
        } finally {
            RUNNING.unlock();
        }
    }

    /**
     * Waits until no training runs in this kernel (an interrupted cell's trainer finishes its step and writes its
     * checkpoint after the cell has ended). Returns false if it still runs after {@code timeout}.
     */
    public static boolean awaitStopped(Duration timeout) {
        try {
            if (!RUNNING.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        RUNNING.unlock();
        return true;
    }

    /** {@link #awaitStopped(Duration)} with ten minutes, failing when training still runs after that. */
    public static void awaitStopped() {
        if (!awaitStopped(Duration.ofMinutes(10))) throw new IllegalStateException("a training run in this kernel is still going after 10 minutes");
    }

    /** True while a training run holds this kernel. */
    public static boolean isRunning() {
        return RUNNING.isLocked();
    }

    /** A resumed run's earlier steps (its metrics log up to the checkpoint), so the chart shows the whole run. */
    private void plotHistory(Table metrics) {
        for (int i = 0; i < metrics.rowCount(); i++) {
            long step = (long) metrics.numberColumn("step").getDouble(i);
            double verification = metrics.numberColumn("verification_accuracy").getDouble(i);
            if (step % every == 0) {
                chart.add("loss", step, metrics.numberColumn("loss").getDouble(i));
                chart.add("accuracy", "batch", step, metrics.numberColumn("accuracy").getDouble(i));
                chart.add("learning rate", step, metrics.numberColumn("lr").getDouble(i));
            }
            if (!Double.isNaN(verification)) chart.add("accuracy", "verification", step, verification);
        }
    }

    @Override
    public void started(TrainInfo info) {
        this.info = info;
    }

    @Override
    public void step(StepMetrics m) {
        steps = m.step();
        if (m.step() % every != 0 && (info == null || m.step() != info.lastStep())) return;
        chart.add("loss", m.step(), m.loss());
        chart.add("accuracy", "batch", m.step(), m.accuracy());
        chart.add("learning rate", m.step(), m.learningRate());
    }

    @Override
    public void verified(long step, double accuracy, double accuracyStd) {
        chart.add("accuracy", "verification", step, accuracy);
    }

    @Override
    public void checkpointed(long step, Path file) {
        lastCheckpoint = file;
    }

    @Override
    public void finished(TrainResult result) {
        this.result = result;
    }

    /** The chart (its series hold every plotted point). */
    public LiveChart chart() { return chart; }

    public LiveProgress progress() { return progress; }

    /** What is trained (null before the run starts). */
    public TrainInfo info() { return info; }

    /** How the last run ended (null while it runs). */
    public TrainResult result() { return result; }

    /** What ended the run with an error (null unless it failed); after an interrupt no cell shows it otherwise. */
    public Throwable failure() { return failure; }

    /** The last checkpoint written (null before the first). */
    public Path lastCheckpoint() { return lastCheckpoint; }

    /** Steps done so far. */
    public long steps() { return steps; }

    /** One line about the run for the notebook. */
    public String describe() {
        TrainInfo i = info;
        if (i == null) return "not started";
        return String.format(Locale.ROOT, "%s + %s, %,d parameters, %d identities, %d images, steps %d..%d", i.model(), i.head(),
            i.parameters(), i.classes(), i.images(), i.firstStep(), i.lastStep());
    }
}
