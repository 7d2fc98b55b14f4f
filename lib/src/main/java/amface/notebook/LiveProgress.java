package amface.notebook;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import amface.data.Progress;

/**
 * A progress bar in a notebook output area that redraws in place: task, bar, count, rate, ETA and a detail such
 * as the current loss. Successive jobs ({@link #start} again) reuse the same area. Redraws are throttled so a
 * fast loop does not flood the notebook; the last state is always drawn by {@link #finish}.
 * <pre>{@code
 * LiveProgress progress = LiveProgress.create();
 * aligner.alignFolder(in, out, progress);
 * }</pre>
 * Feed it from the cell's own thread: JJava drops output sent after the cell has finished.
 */
public final class LiveProgress implements Progress {
    private final LongSupplier clock;
    private long minIntervalNanos = Duration.ofMillis(250).toNanos();
    private Displayed area;
    private String task = "";
    private long total;
    private long done;
    private long alreadyDone;
    private String detail = "";
    private String summary;
    private long startNanos;
    private long lastDrawNanos;
    private int draws;

    private LiveProgress(LongSupplier clock) {
        this.clock = clock;
    }

    public static LiveProgress create() {
        return new LiveProgress(System::nanoTime);
    }

    /** For tests: a progress bar on a fake clock (nanoseconds). */
    static LiveProgress withClock(LongSupplier nanoClock) {
        return new LiveProgress(nanoClock);
    }

    /** The shortest time between two redraws (default 250 ms). */
    public LiveProgress every(Duration interval) {
        this.minIntervalNanos = interval.toNanos();
        return this;
    }

    @Override
    public synchronized void start(String task, long total) {
        this.task = task == null ? "" : task;
        this.total = total;
        this.done = 0;
        this.alreadyDone = 0;
        this.detail = "";
        this.summary = null;
        this.startNanos = clock.getAsLong();
        draw();
    }

    @Override
    public synchronized void update(long done, String detail) {
        this.done = done;
        this.detail = detail == null ? "" : detail;
        if (clock.getAsLong() - lastDrawNanos >= minIntervalNanos || (total > 0 && done >= total)) draw();
    }

    @Override
    public synchronized void alreadyDone(long units) {
        alreadyDone += units;
    }

    @Override
    public synchronized void finish(String summary) {
        this.summary = summary == null ? "" : summary;
        draw();
    }

    /** The output area (null before the first {@link #start}). */
    public synchronized Displayed area() {
        return area;
    }

    /** How many times the bar was drawn (a test can check the throttle). */
    synchronized int draws() {
        return draws;
    }

    /** The current state as one line of text, as a text-only front end shows it. */
    public synchronized String text() {
        StringBuilder s = new StringBuilder(task);
        if (summary != null) return s.append(": ").append(summary).toString();
        s.append(' ');
        if (total > 0) s.append(done).append('/').append(total).append(String.format(Locale.ROOT, " (%d%%)", percent()));
        else s.append(done);
        appendRate(s);
        if (!detail.isEmpty()) s.append("  ").append(detail);
        return s.toString();
    }

    /** The current state as HTML: a {@code <progress>} element and the same facts as {@link #text()}. */
    public synchronized String html() {
        StringBuilder s = new StringBuilder("<div class=\"amface-progress\" style=\"font-family:monospace\">");
        s.append("<b>").append(TableHtml.escape(task)).append("</b> ");
        if (summary != null) {
            s.append("<progress value=\"1\" max=\"1\" style=\"width:40%\"></progress> ").append(TableHtml.escape(summary));
        } else {
            if (total > 0) {
                s.append("<progress value=\"").append(Math.min(done, total)).append("\" max=\"").append(total)
                    .append("\" style=\"width:40%\"></progress> ").append(done).append('/').append(total)
                    .append(String.format(Locale.ROOT, " (%d%%)", percent()));
            } else {
                s.append("<progress style=\"width:40%\"></progress> ").append(done);
            }
            StringBuilder rate = new StringBuilder();
            appendRate(rate);
            s.append(TableHtml.escape(rate.toString()));
            if (!detail.isEmpty()) s.append(" &middot; ").append(TableHtml.escape(detail));
        }
        return s.append("</div>").toString();
    }

    private int percent() {
        return (int) Math.min(100, 100 * done / total);
    }

    private void appendRate(StringBuilder s) {
        double seconds = (clock.getAsLong() - startNanos) / 1e9;
        long fresh = done - alreadyDone;
        if (seconds <= 0 || fresh <= 0) return;
        double rate = fresh / seconds;
        s.append(String.format(Locale.ROOT, rate >= 10 ? "  %.0f/s" : "  %.2f/s", rate));
        s.append("  elapsed ").append(duration(seconds));
        if (total > 0 && done < total) s.append("  ETA ").append(duration((total - done) / rate));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private void draw() {
        InterruptFlag.keep(this::drawNow);
    }

    private void drawNow() {
        lastDrawNanos = clock.getAsLong();
        draws++;
        MimeBundle out = MimeBundle.html(html(), text());
        if (area == null) area = Displayed.show(out);
        else area.update(out);
    }
}
