package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import amface.testing.TestPaths;
import tech.tablesaw.api.Table;

class VerificationChartsTest {
    private static final SyntheticPairs SET = SyntheticPairs.generate(21, 1200, 200, 4, 4, 32, 0.7, false);

    private static Map<String, VerificationResult> flipModes() {
        Map<String, VerificationResult> out = new LinkedHashMap<>();
        for (FlipMode flip : FlipMode.values()) {
            Embeddings.Builder b = Embeddings.builder(flip.dimension(SET.embeddings.dimension()));
            for (String p : SET.embeddings.paths()) b.add(p, flip.combine(SET.embeddings.get(p), SET.mirrored.get(p)));
            out.put(flip.cliName(), VerificationEvaluator.standard().evaluate(VerificationPairs.match(SET.pairs, b.build(), false, "synthetic")));
        }
        return out;
    }

    @Test
    void tablesHoldTheFiguresOfTheResult() {
        Map<String, VerificationResult> runs = flipModes();
        VerificationResult none = runs.get("none");
        Table folds = VerificationTables.folds(none);
        assertEquals(10, folds.rowCount());
        assertEquals(120, folds.intColumn("pairs").getInt(3));
        assertEquals(none.foldAccuracy()[4], folds.doubleColumn("accuracy").getDouble(4));
        assertEquals(none.foldThreshold()[9], folds.doubleColumn("threshold").getDouble(9));
        assertEquals(none.accuracyMean(), folds.doubleColumn("accuracy").mean(), 1e-12);

        Table summary = VerificationTables.summary(runs);
        assertEquals(4, summary.rowCount());
        assertEquals("concat", summary.stringColumn("run").get(3));
        assertEquals(runs.get("sum").auc(), summary.doubleColumn("auc").getDouble(1));
        // After L2 normalisation sum and mean are the same embedding up to float rounding.
        assertEquals(runs.get("sum").accuracyMean(), runs.get("mean").accuracyMean(), 1e-12);
    }

    @Test
    void chartsRenderToPng() throws IOException {
        Map<String, VerificationResult> runs = flipModes();
        VerificationResult none = runs.get("none");
        Path dir = TestPaths.buildDir("eval");

        XYChart roc = VerificationCharts.roc(runs, VerificationCharts.FprAxis.LINEAR);
        assertEquals(4, roc.getSeriesMap().size());
        XYChart log = VerificationCharts.roc(runs, VerificationCharts.FprAxis.LOG);
        for (XYSeries s : log.getSeriesMap().values()) {
            for (double x : s.getXData()) assertTrue(x > 0, "no FPR 0 on a log axis");
        }
        XYChart hist = VerificationCharts.distanceHistogram(none, 40);
        double counted = 0;
        for (XYSeries s : hist.getSeriesMap().values()) {
            double[] y = s.getYData();
            for (int i = 0; i < y.length - 1; i++) counted += y[i]; // the last point only closes the last bin
        }
        assertEquals(none.pairs(), counted, 0);
        CategoryChart folds = VerificationCharts.foldAccuracy(none);
        assertEquals(2, folds.getSeriesMap().size());

        BitmapEncoder.saveBitmap(roc, dir.resolve("synthetic-roc").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(log, dir.resolve("synthetic-roc-log").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(hist, dir.resolve("synthetic-distances").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(folds, dir.resolve("synthetic-folds").toString(), BitmapEncoder.BitmapFormat.PNG);
        for (String name : new String[] {"synthetic-roc", "synthetic-roc-log", "synthetic-distances", "synthetic-folds"}) {
            assertTrue(Files.size(dir.resolve(name + ".png")) > 5000, name);
        }
    }
}
