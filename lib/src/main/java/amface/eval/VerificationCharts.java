package amface.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart figures of verification results, for notebooks and PNG files: ROC curves (linear or logarithmic FPR
 * axis), genuine / impostor distance histograms with the threshold, accuracy per fold. Tooltips are off so that
 * XChart's BitmapEncoder can write the charts.
 */
public final class VerificationCharts {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;

    private VerificationCharts() { }

    /** How the ROC's FPR axis is drawn. */
    public enum FprAxis {
        LINEAR,
        /** Logarithmic, to read off the low-FAR end (VAL@FAR=1e-3); points with FPR 0 are left out. */
        LOG
    }

    /** The exact ROC of one result. */
    public static XYChart roc(VerificationResult result, FprAxis axis) {
        Map<String, VerificationResult> one = new LinkedHashMap<>();
        one.put("ROC", result);
        return roc(one, axis);
    }

    /** The exact ROC (every distinct distance) of several results on one chart, each labelled with its AUC. */
    public static XYChart roc(Map<String, VerificationResult> results, FprAxis axis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title(axis == FprAxis.LOG ? "ROC (log FPR)" : "ROC").xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double minPositiveFpr = 1;
        for (Map.Entry<String, VerificationResult> e : results.entrySet()) {
            RocCurve roc = e.getValue().exactRoc();
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < roc.size(); i++) {
                if (axis == FprAxis.LOG && roc.fpr(i) <= 0) continue;
                x.add(roc.fpr(i));
                y.add(roc.tpr(i));
                if (roc.fpr(i) > 0) minPositiveFpr = Math.min(minPositiveFpr, roc.fpr(i));
            }
            String label = String.format(Locale.ROOT, "%s (AUC %.4f)", e.getKey(), e.getValue().auc());
            XYSeries s = chart.addSeries(label, x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        if (axis == FprAxis.LOG) {
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(minPositiveFpr))));
            chart.getStyler().setXAxisMax(1.0);
        } else {
            chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
            chart.getStyler().setXAxisDecimalPattern("0.0#");
            chart.getStyler().setXAxisTickMarkSpacingHint(90);
        }
        return chart;
    }

    /**
     * Histograms of the distances of same-person (genuine) and different-person (impostor) pairs, with a vertical
     * line at the mean of the folds' accuracy thresholds.
     */
    public static XYChart distanceHistogram(VerificationResult result, int bins) {
        if (bins < 1) throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        double[] d = result.distances();
        boolean[] same = result.same();
        double max = 0;
        for (double v : d) max = Math.max(max, v);
        max = Math.max(Math.max(max, result.meanThreshold()), 1e-9) * 1.02;
        double width = max / bins;
        double[] genuine = new double[bins], impostor = new double[bins];
        for (int i = 0; i < d.length; i++) {
            int b = Math.min(bins - 1, (int) (d[i] / width));
            if (same[i]) genuine[b]++; else impostor[b]++;
        }
        List<Double> x = new ArrayList<>(), g = new ArrayList<>(), im = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            x.add(b * width);
            g.add(genuine[b]);
            im.add(impostor[b]);
        }
        // A closing point so the last bin is drawn with its full width.
        x.add(bins * width);
        g.add(genuine[bins - 1]);
        im.add(impostor[bins - 1]);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title(String.format(Locale.ROOT, "distances (threshold %.2f)", result.meanThreshold()))
            .xAxisTitle(result.metric().description()).yAxisTitle("pairs").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(max);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.addSeries("same person", x, g).setMarker(SeriesMarkers.NONE);
        chart.addSeries("different people", x, im).setMarker(SeriesMarkers.NONE);
        chart.addAnnotation(new AnnotationLine(result.meanThreshold(), true, false));
        return chart;
    }

    /** Test accuracy of each fold as bars, with the mean as a line. */
    public static CategoryChart foldAccuracy(VerificationResult result) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title(String.format(Locale.ROOT, "accuracy per fold (mean %.4f +- %.4f)", result.accuracyMean(), result.accuracyStd()))
            .xAxisTitle("fold").yAxisTitle("accuracy").build();
        style(chart.getStyler());
        List<String> folds = new ArrayList<>();
        List<Double> acc = new ArrayList<>(), mean = new ArrayList<>();
        double lowest = 1;
        for (int f = 0; f < result.folds(); f++) {
            folds.add(Integer.toString(f + 1));
            acc.add(result.foldAccuracy()[f]);
            mean.add(result.accuracyMean());
            lowest = Math.min(lowest, result.foldAccuracy()[f]);
        }
        chart.addSeries("fold accuracy", folds, acc);
        CategorySeries m = chart.addSeries("mean", folds, mean);
        m.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        m.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((lowest - 0.02) * 50) / 50));
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendVisible(false); // the title gives the mean the line shows
        return chart;
    }

    private static void style(Styler styler) {
        styler.setToolTipsEnabled(false); // BitmapEncoder throws with tooltips on
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setLegendBorderColor(java.awt.Color.LIGHT_GRAY);
    }
}
