package amface.identification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart figures of identification results in the style of {@code eval.VerificationCharts}: the CMC, the DET curve
 * (FNIR against FPIR, both axes logarithmic) and rank-1 against the number of distractors (logarithmic). Tooltips
 * are off so that BitmapEncoder can write them.
 */
public final class IdentificationCharts {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;

    private IdentificationCharts() { }

    public static XYChart cmc(Map<String, Cmc> curves) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("CMC").xAxisTitle("rank").yAxisTitle("identification rate").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMax(1.0);
        for (Map.Entry<String, Cmc> e : curves.entrySet()) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int r = 1; r <= e.getValue().maxRank(); r++) {
                x.add((double) r);
                y.add(e.getValue().rate(r));
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** DET curves; points with FPIR or FNIR 0 cannot be drawn on log axes and are left out. */
    public static XYChart det(Map<String, DetCurve> curves) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("DET (open-set, rank 1)")
            .xAxisTitle("false positive identification rate").yAxisTitle("false negative identification rate").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, DetCurve> e : curves.entrySet()) {
            DetCurve d = e.getValue();
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                if (d.fpir(i) > 0 && d.fnir(i) > 0) {
                    x.add(d.fpir(i));
                    y.add(d.fnir(i));
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = chart.addSeries(e.getKey() + " (rank " + d.rank() + ")", x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * Rank-1 against the number of distractors for several series (e.g. "real" and "synthetic extension"); a count
     * of 0 is drawn at 1 on the logarithmic axis.
     */
    public static XYChart rank1VsDistractors(Map<String, Map<Integer, Double>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("rank-1 against distractors")
            .xAxisTitle("distractors").yAxisTitle("rank-1 identification rate").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);   // below the plot: a strong model's curve fills the top, a weak one's the bottom
        chart.getStyler().setYAxisMax(1.0);
        for (Map.Entry<String, Map<Integer, Double>> e : series.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            e.getValue().forEach((n, r) -> {
                x.add((double) Math.max(1, n));
                y.add(r);
            });
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** The real and the synthetic part of an LFW protocol run as two series (the synthetic one starts at the last real point). */
    public static XYChart rank1VsDistractors(LfwDistractorProtocol.Result r) {
        Map<Integer, Double> real = new java.util.LinkedHashMap<>(), synthetic = new java.util.LinkedHashMap<>();
        for (LfwDistractorProtocol.Point p : r.points()) {
            if (p.synthetic() == 0) real.put(p.distractors(), p.rank1());
            if (p.synthetic() > 0 || p.distractors() == r.realDistractors()) synthetic.put(p.distractors(), p.rank1());
        }
        Map<String, Map<Integer, Double>> series = new java.util.LinkedHashMap<>();
        series.put("real distractors (LFW single-image people)", real);
        if (synthetic.size() > 1) series.put("extended with synthetic faces", synthetic);
        return rank1VsDistractors(series);
    }

    private static void style(Styler styler) {
        styler.setToolTipsEnabled(false);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setLegendBorderColor(java.awt.Color.LIGHT_GRAY);
    }
}
