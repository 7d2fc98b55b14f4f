package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.train.MetricsLog;
import amface.train.StepMetrics;

/** Loss curves by cell from runs' metrics files: the mean over runs, the smoothing, the end and last-quarter figures. */
class SweepLossChartTest {

    private static SweepRow row(String hash, String cell, long seed) {
        String head = cell.contains(":") ? cell.substring(0, cell.indexOf(':')) : cell;
        return new SweepRow(hash, "lfw-foldout", 1, seed, cell, head, 0.35, 30, false, "resface20", 500, 6000,
            0.9, 0.02, 0.95, 0.1, 0.5, 0.001, 1.0, Double.NaN, 400, 100, "2026-01-01T00:00:00Z");
    }

    private static void metrics(Path out, String hash, java.util.function.LongToDoubleFunction loss, int steps) throws Exception {
        MetricsLog log = new MetricsLog();
        for (long s = 1; s <= steps; s++) log.add(new StepMetrics(s, 0, loss.applyAsDouble(s), 0.5, 0.001, 100, 100, 0, 0, 0, s));
        Path dir = Files.createDirectories(out.resolve("runs").resolve(hash));
        log.write(dir.resolve(MetricsLog.FILE));
    }

    @Test
    void meanOfTheCellsRunsAndHowMuchItStillFell(@TempDir Path out) throws Exception {
        // Two seeds of a flat cell (losses 1 and 3: mean 2), and one cell falling linearly from 10 to 6 over 400 steps.
        metrics(out, "aaaaaaaaaaaa", s -> 1.0, 400);
        metrics(out, "bbbbbbbbbbbb", s -> 3.0, 400);
        metrics(out, "cccccccccccc", s -> 10.0 - 4.0 * (s - 1) / 399.0, 400);
        List<SweepRow> rows = List.of(row("aaaaaaaaaaaa", "softmax", 1), row("bbbbbbbbbbbb", "softmax", 2), row("cccccccccccc", "am:0.35", 1),
            row("dddddddddddd", "am:0.35", 2));   // no metrics file: left out
        List<SweepLossChart.Curve> curves = SweepLossChart.curves(out, rows);
        assertEquals(2, curves.size());
        SweepLossChart.Curve flat = curves.get(0), falling = curves.get(1);
        assertEquals("softmax, resface20", flat.label());
        assertEquals(2, flat.runs());
        assertEquals(1, falling.runs());
        assertEquals(400, flat.steps().length);
        assertEquals(2.0, flat.endLoss(), 1e-12);
        assertTrue(Double.isNaN(flat.lastQuarterShare()), "a flat line has no fall to share out");
        // Falling line: the smoothing (a centred window) keeps a straight line straight away from the ends, so the
        // mean over the last 20 steps and over steps 281-300 differ by the slope times 100 steps (up to the end effect).
        double slope = 4.0 / 399.0;
        double atThreeQuarters = 10.0 - slope * (290.5 - 1);
        assertEquals(atThreeQuarters, falling.loss()[289] / 2 + falling.loss()[290] / 2, 1e-9);
        // A straight fall spreads evenly: the last quarter holds about a quarter of it.
        assertEquals(0.25, falling.lastQuarterShare(), 0.02);
        assertTrue(SweepMarkdown.loss(curves).contains("| am:0.35, resface20 | 1 | 400 |"));
        assertEquals(2, SweepLossChart.of(curves).getSeriesMap().size());
    }

    @Test
    void aCurveThatFlattenedEarlyHasLittleOfItsFallInTheLastQuarter(@TempDir Path out) throws Exception {
        metrics(out, "eeeeeeeeeeee", s -> 0.3 + 20 * Math.exp(-s / 60.0), 1000);      // softmax-like: near zero at the end
        metrics(out, "ffffffffffff", s -> 7.0 + 9 * (1 - s / 1000.0), 1000);          // margin-like: still falling 9 -> 7 ... 16 -> 7
        List<SweepLossChart.Curve> c = SweepLossChart.curves(out, List.of(row("eeeeeeeeeeee", "softmax", 1), row("ffffffffffff", "am:0.35", 1)));
        assertTrue(c.get(0).lastQuarterShare() < 0.01, "flattened: " + c.get(0).lastQuarterShare());
        assertTrue(c.get(1).lastQuarterShare() > 0.2, "still falling: " + c.get(1).lastQuarterShare());
    }

    @Test
    void smoothingIsARunningMeanThatShrinksAtTheEnds() {
        double[] x = new double[200];
        x[100] = 200;                                   // one spike: spread over a window of 2 * 2 + 1 points
        double[] y = SweepLossChart.smooth(x);
        assertEquals(40.0, y[100], 1e-12);
        assertEquals(40.0, y[98], 1e-12);
        assertEquals(0.0, y[97], 1e-12);
        double[] ramp = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertEquals(4.5, java.util.Arrays.stream(SweepLossChart.smooth(ramp)).sum() / 10, 1e-12);
    }
}
