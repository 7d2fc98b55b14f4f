package amface.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import amface.train.MetricsLog;

/**
 * Training loss against the step, one line per cell and backbone: the mean over the cell's finished runs (folds x
 * seeds) of each run's loss smoothed over a window of 2 % of its steps. This is the figure that says whether a
 * grid's models converged: a cell whose line still falls at the end was stopped early, whatever its accuracy.
 * Runs without a {@code metrics.csv} (copied results) are left out.
 */
public final class SweepLossChart {
    /** One line of the chart: its label, the steps and the mean smoothed loss at each. */
    public record Curve(String label, int runs, double[] steps, double[] loss) {
        /** The mean loss over the last 5 % of the steps. */
        public double endLoss() {
            return meanOfTail(loss, 0.05);
        }

        /**
         * The share of the whole fall of the loss that came in the last quarter of the steps: (loss at three
         * quarters - end loss) / (start loss - end loss), each a mean over 5 % of the steps (the start over the
         * first 2 %). A flattened curve gives a few percent; one still falling steadily about 25 % or more. Measured
         * against the whole fall, not the loss itself, so that a softmax loss sinking from 0.8 to 0.3 near zero
         * does not read as unconverged while a margin loss falling from 9 to 7 does.
         */
        public double lastQuarterShare() {
            int n = loss.length;
            if (n < 20) return Double.NaN;
            int w = Math.max(1, n / 20);
            int end = (3 * n) / 4;
            double start = mean(loss, 0, Math.max(1, n / 50));
            double quarter = mean(loss, end - w, end);
            return (quarter - endLoss()) / (start - endLoss());
        }
    }

    private SweepLossChart() { }

    /** The curves of the rows' runs under {@code out/runs/HASH/metrics.csv}, grouped by cell and backbone. */
    public static List<Curve> curves(Path out, List<SweepRow> rows) {
        Map<String, List<double[][]>> byCell = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            Path file = out.resolve("runs").resolve(r.hash()).resolve(MetricsLog.FILE);
            MetricsLog log;
            try {
                log = MetricsLog.read(file, Long.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read the run's training metrics: " + e.getMessage(), e);
            }
            if (log.size() == 0) continue;
            double[] steps = log.table().longColumn("step").asDoubleArray();
            byCell.computeIfAbsent(r.cell() + ", " + r.model(), k -> new ArrayList<>()).add(new double[][] {steps, smooth(log.losses())});
        }
        List<Curve> curves = new ArrayList<>();
        for (Map.Entry<String, List<double[][]>> e : byCell.entrySet()) {
            List<double[][]> runs = e.getValue();
            // Runs of one cell and backbone share their length; a shorter (unfinished) log limits the mean.
            int n = runs.stream().mapToInt(run -> run[1].length).min().orElse(0);
            double[] mean = new double[n];
            for (double[][] run : runs) {
                for (int i = 0; i < n; i++) mean[i] += run[1][i] / runs.size();
            }
            curves.add(new Curve(e.getKey(), runs.size(), java.util.Arrays.copyOf(runs.get(0)[0], n), mean));
        }
        return curves;
    }

    /**
     * The chart of {@link #curves}, loss on a log axis (a plateau near zero and one near 8 both show); each legend
     * entry gives the end loss and the share of the fall that came in the last quarter.
     */
    public static XYChart of(List<Curve> curves) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title("training loss by cell (mean over its runs, smoothed)")
            .xAxisTitle("step").yAxisTitle("loss (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        for (Curve c : curves) {
            if (c.steps().length == 0) continue;
            String label = String.format(Locale.ROOT, "%s (%d run%s; end %.2f, %.0f%% of the fall in the last quarter)", c.label(), c.runs(),
                c.runs() == 1 ? "" : "s", c.endLoss(), 100 * c.lastQuarterShare());
            XYSeries s = chart.addSeries(label, c.steps(), c.loss());
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return chart;
    }

    /** A centred running mean over 2 % of the points (at least one), shrinking at the ends. */
    static double[] smooth(double[] x) {
        int half = Math.max(0, x.length / 100);
        double[] prefix = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) prefix[i + 1] = prefix[i] + x[i];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int lo = Math.max(0, i - half), hi = Math.min(x.length, i + half + 1);
            y[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
        }
        return y;
    }

    private static double meanOfTail(double[] x, double fraction) {
        int w = Math.max(1, (int) Math.round(x.length * fraction));
        return mean(x, x.length - w, x.length);
    }

    private static double mean(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += x[i];
        return s / (to - from);
    }
}
