package amface.notebook;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A chart that grows while a job runs and redraws in place: one panel per quantity (loss, accuracy, learning
 * rate, ...), each with one or more series (train, LFW, ...), drawn side by side as one PNG.
 * <pre>{@code
 * LiveChart chart = LiveChart.create().xLabel("iteration").logY("lr");
 * chart.add("loss", it, loss);
 * chart.add("accuracy", "train", it, acc);
 * chart.add("accuracy", "LFW", it, lfwAcc);
 * chart.finish();
 * }</pre>
 * Redraws are throttled (at most once a second by default, and rarer when drawing is slow); {@link #finish} always draws the final state. {@code add} and
 * {@code finish} return nothing so that a cell ending with them prints no {@code Out[n]}.
 */
public final class LiveChart {
    /** More series than this and the legend moves from below the plot to a column on its right. */
    static final int LEGEND_BELOW_MAX = 4;
    private static final Graphics2D METRICS = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    private final LongSupplier clock;
    private final Map<String, Map<String, Points>> panels = new LinkedHashMap<>();
    private final Set<String> logPanels = new TreeSet<>();
    private String xLabel = "step";
    private int panelWidth = 420;
    private int panelHeight = 300;
    private long minIntervalNanos = Duration.ofSeconds(1).toNanos();
    private long lastDrawNanos = Long.MIN_VALUE / 2;
    private long lastDrawCostNanos;
    private Displayed area;
    private int draws;

    private LiveChart(LongSupplier clock) {
        this.clock = clock;
    }

    public static LiveChart create() {
        return new LiveChart(System::nanoTime);
    }

    static LiveChart withClock(LongSupplier nanoClock) {
        return new LiveChart(nanoClock);
    }

    /** The x-axis title of every panel (default "step"). */
    public LiveChart xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    /** Draws {@code panel}'s y axis on a log scale (non-positive values are then not drawn). */
    public LiveChart logY(String panel) {
        logPanels.add(panel);
        return this;
    }

    /** Size of each panel in pixels (default 420x300). */
    public LiveChart panelSize(int width, int height) {
        if (width < 100 || height < 100) throw new IllegalArgumentException("panels need at least 100x100 pixels, got " + width + "x" + height);
        this.panelWidth = width;
        this.panelHeight = height;
        return this;
    }

    /** The shortest time between two redraws (default 1 s; drawing a PNG takes tens of milliseconds). */
    public LiveChart every(Duration interval) {
        this.minIntervalNanos = interval.toNanos();
        return this;
    }

    /** Adds a point to the panel's only series (named after the panel). */
    public void add(String panel, double x, double y) {
        add(panel, panel, x, y);
    }

    /** Adds a point to {@code series} in {@code panel}; panels and series appear in the order first used. */
    public synchronized void add(String panel, String series, double x, double y) {
        if (Double.isNaN(x)) throw new IllegalArgumentException("x is NaN for " + panel + "/" + series);
        panels.computeIfAbsent(panel, p -> new LinkedHashMap<>()).computeIfAbsent(series, s -> new Points()).add(x, y);
        // Drawing a PNG takes tens of milliseconds (more on a busy machine): keep it under ~10 % of the job.
        if (clock.getAsLong() - lastDrawNanos >= Math.max(minIntervalNanos, 10 * lastDrawCostNanos)) draw();
    }

    /** Draws the current state now, whatever the throttle says. */
    public synchronized void finish() {
        if (!panels.isEmpty()) draw();
    }

    /** The current state as one image (panels side by side). */
    public synchronized BufferedImage image() {
        if (panels.isEmpty()) throw new IllegalStateException("the chart has no points yet");
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, Map<String, Points>> panel : panels.entrySet()) charts.add(panelChart(panel.getKey(), panel.getValue()));
        return ChartPng.row(charts);
    }

    public byte[] png() {
        return ChartPng.png(image());
    }

    /** The output area (null before the first draw). */
    public synchronized Displayed area() {
        return area;
    }

    /** The points of one series so far, as {x[], y[]}. */
    public synchronized double[][] series(String panel, String series) {
        Map<String, Points> p = panels.get(panel);
        Points pts = p == null ? null : p.get(series);
        if (pts == null) throw new IllegalArgumentException("no series '" + series + "' in panel '" + panel + "'; panels: " + panels.keySet());
        return new double[][] {pts.xs(), pts.ys()};
    }

    synchronized int draws() {
        return draws;
    }

    private XYChart panelChart(String name, Map<String, Points> series) {
        // XChart lays a horizontal legend out on one line and cuts it off, so many series (a sweep's runs) get a
        // column on the right instead, and the panel grows to hold it
        boolean legendRight = series.size() > LEGEND_BELOW_MAX;
        int width = panelWidth, height = panelHeight;
        if (legendRight) {
            XYStyler defaults = new XYStyler();
            FontMetrics fm = METRICS.getFontMetrics(defaults.getLegendFont());
            int longest = series.keySet().stream().mapToInt(fm::stringWidth).max().orElse(0);
            width += longest + defaults.getLegendSeriesLineLength() + 3 * defaults.getLegendPadding();
            height = Math.max(height, 60 + series.size() * (fm.getHeight() + defaults.getLegendPadding() / 2));
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(name).xAxisTitle(xLabel).build();
        Styler styler = chart.getStyler();
        styler.setLegendVisible(series.size() > 1);
        styler.setLegendPosition(legendRight ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(legendRight ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        styler.setChartTitleBoxVisible(false);
        boolean log = logPanels.contains(name);
        chart.getStyler().setYAxisLogarithmic(log);
        for (Map.Entry<String, Points> s : series.entrySet()) {
            Points p = s.getValue().drawable(log);
            if (p.size() == 0) continue;
            XYSeries xy = chart.addSeries(s.getKey(), p.xs(), p.ys());
            xy.setMarker(p.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    private void draw() {
        InterruptFlag.keep(this::drawNow);
    }

    private void drawNow() {
        long start = clock.getAsLong();
        draws++;
        int points = panels.values().stream().flatMap(m -> m.values().stream()).mapToInt(Points::size).sum();
        MimeBundle out = MimeBundle.png(png(), "chart " + panels.keySet() + ", " + points + " points");
        if (area == null) area = Displayed.show(out);
        else area.update(out);
        lastDrawNanos = clock.getAsLong();
        lastDrawCostNanos = lastDrawNanos - start;
    }

    /** A growable pair of double arrays. */
    private static final class Points {
        private double[] x = new double[16];
        private double[] y = new double[16];
        private int n;

        void add(double xv, double yv) {
            if (n == x.length) {
                x = java.util.Arrays.copyOf(x, n * 2);
                y = java.util.Arrays.copyOf(y, n * 2);
            }
            x[n] = xv;
            y[n] = yv;
            n++;
        }

        int size() {
            return n;
        }

        double[] xs() {
            return java.util.Arrays.copyOf(x, n);
        }

        double[] ys() {
            return java.util.Arrays.copyOf(y, n);
        }

        /** The points a chart can draw: finite, and positive on a log axis (a diverged loss shows as a gap). */
        Points drawable(boolean log) {
            Points p = new Points();
            for (int i = 0; i < n; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!log || y[i] > 0)) p.add(x[i], y[i]);
            return p;
        }
    }
}
