package amface.sweep;

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

import tech.tablesaw.api.Table;

import amface.head.HeadKind;

/**
 * Accuracy against the margin m from a {@link SweepSummary}: one line per margin head (and scale, learned scale,
 * backbone), error bars = the standard deviation over the cell's runs (over the evaluator's folds for one run);
 * softmax and NormFace, which have no margin, as flat reference lines across the m range.
 */
public final class SweepChart {
    private SweepChart() { }

    public static XYChart of(Table summary) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title("verification accuracy vs margin m")
            .xAxisTitle("m").yAxisTitle("accuracy (mean over folds x seeds)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        Map<String, double[]> references = new LinkedHashMap<>();
        for (int i = 0; i < summary.rowCount(); i++) {
            String head = summary.stringColumn("head").get(i);
            double m = summary.doubleColumn("m").getDouble(i);
            double s = summary.doubleColumn("s").getDouble(i);
            boolean learned = summary.booleanColumn("learnedS").get(i);
            String model = summary.stringColumn("model").get(i);
            double acc = summary.doubleColumn("accuracy").getDouble(i);
            double err = summary.intColumn("runs").getInt(i) > 1 ? summary.doubleColumn("accuracyStd").getDouble(i) : summary.doubleColumn("foldStd").getDouble(i);
            String name = String.format(Locale.ROOT, "%s%s%s, %s", head, !HeadKind.named(head).normalised() ? "" : " s=" + SweepCell.number(s), learned ? " learned" : "", model);
            if (!HeadKind.named(head).takesMargin()) {
                references.put(name, new double[] {acc, err});
            } else {
                lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {m, acc, err});
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
            }
        }
        if (lines.isEmpty()) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            lo -= 0.05;
            hi += 0.05;
        }
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            XYSeries series = chart.addSeries(e.getKey(), pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray(),
                pts.stream().mapToDouble(p -> p[2]).toArray());
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        for (Map.Entry<String, double[]> e : references.entrySet()) {
            double acc = e.getValue()[0];
            XYSeries series = chart.addSeries(e.getKey() + String.format(Locale.ROOT, " (%.1f%% ± %.1f)", 100 * acc, 100 * e.getValue()[1]),
                new double[] {lo, hi}, new double[] {acc, acc});
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
