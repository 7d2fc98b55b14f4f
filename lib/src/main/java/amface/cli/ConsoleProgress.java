package amface.cli;

import java.io.PrintStream;

import amface.data.Progress;

/** A one-line text progress bar with rate and ETA, redrawn in place on a terminal (plain lines otherwise). */
public final class ConsoleProgress implements Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final long minIntervalNanos;
    private String task = "";
    private long total;
    private long alreadyDone;
    private long startNanos;
    private long lastDrawNanos;
    private int lastPercentPrinted = -1;

    public ConsoleProgress() {
        this(System.err, System.console() != null);
    }

    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.minIntervalNanos = terminal ? 100_000_000L : 0L;
    }

    @Override
    public synchronized void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.alreadyDone = 0;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = 0;
        this.lastPercentPrinted = -1;
    }

    @Override
    public synchronized void update(long done, String detail) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDrawNanos < minIntervalNanos && done < total) return;
            lastDrawNanos = now;
            out.print("\r" + line(done, detail, now) + "\033[K");
            out.flush();
        } else {
            // Logs and CI: one line per 10 %, not a flood of carriage returns.
            int percent = total > 0 ? (int) (100 * done / total) : -1;
            if (percent / 10 != lastPercentPrinted / 10 || percent < 0 && done % 100 == 0) {
                lastPercentPrinted = percent;
                out.println(line(done, detail, now));
            }
        }
    }

    @Override
    public synchronized void alreadyDone(long units) {
        alreadyDone += units;
    }

    @Override
    public synchronized void finish(String summary) {
        if (terminal) out.print("\r\033[K");
        out.println(task + ": " + summary);
        out.flush();
    }

    String line(long done, String detail, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = Math.max(0, done - alreadyDone) / seconds;
        StringBuilder s = new StringBuilder(task).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            s.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            s.append(done).append('/').append(total);
            if (rate > 0 && done < total) s.append(String.format(" ETA %s", duration((total - done) / rate)));
        } else {
            s.append(done);
        }
        s.append(String.format(" %.1f/s", rate));
        if (detail != null && !detail.isEmpty()) s.append(' ').append(detail);
        return s.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
