package amface.train;

import java.io.IOException;
import java.nio.file.Path;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import tech.tablesaw.api.Table;

/** The loss (and batch accuracy) of a run against the step, as an XChart chart or a PNG next to the metrics. */
public final class LossChart {
    private LossChart() { }

    public static XYChart of(MetricsLog log, String title) {
        Table t = log.table();
        double[] step = t.longColumn("step").asDoubleArray();
        XYChart chart = new XYChartBuilder().width(800).height(450).title(title).xAxisTitle("step").yAxisTitle("loss / accuracy").build();
        chart.getStyler().setMarkerSize(0);
        if (step.length == 0) return chart;
        chart.addSeries("loss", step, t.doubleColumn("loss").asDoubleArray()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.addSeries("batch accuracy", step, t.doubleColumn("accuracy").asDoubleArray());
        return chart;
    }

    /** Writes the chart as a PNG, atomically. */
    public static void writePng(XYChart chart, Path file) throws IOException {
        amface.io.AtomicFile.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }
}
