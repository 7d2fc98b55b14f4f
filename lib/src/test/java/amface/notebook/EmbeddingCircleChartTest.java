package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import tech.tablesaw.api.Table;

class EmbeddingCircleChartTest {
    private static final List<String> NAMES = List.of("Ann", "Bob", "Cid", "Dee");

    /** Features of person k spread around direction centreDeg[k], with random lengths (only directions count). */
    private static float[][] features(double[] centreDeg, double spreadDeg, int perPerson, int[] labels, long seed) {
        Random r = new Random(seed);
        float[][] f = new float[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perPerson;
            double a = Math.toRadians(centreDeg[labels[i]] + spreadDeg * (2 * r.nextDouble() - 1));
            double len = 0.3 + 5 * r.nextDouble();
            f[i] = new float[] {(float) (len * Math.cos(a)), (float) (len * Math.sin(a))};
        }
        return f;
    }

    /**
     * The same two angles by another route: unit vectors, centres as normalised vector sums, angles as the arc
     * cosine of dot products (no atan2, no wrapping of angle differences).
     */
    private static double[] byDotProducts(float[][] f, int[] labels, int people) {
        double[][] centre = new double[people][2];
        for (int i = 0; i < f.length; i++) {
            double n = Math.sqrt(f[i][0] * (double) f[i][0] + f[i][1] * (double) f[i][1]);
            centre[labels[i]][0] += f[i][0] / n;
            centre[labels[i]][1] += f[i][1] / n;
        }
        for (double[] c : centre) {
            double n = Math.sqrt(c[0] * c[0] + c[1] * c[1]);
            c[0] /= n;
            c[1] /= n;
        }
        double gap = Double.POSITIVE_INFINITY;
        for (int a = 0; a < people; a++) {
            for (int b = a + 1; b < people; b++) gap = Math.min(gap, acos(centre[a][0] * centre[b][0] + centre[a][1] * centre[b][1]));
        }
        double within = 0;
        for (int i = 0; i < f.length; i++) {
            double n = Math.sqrt(f[i][0] * (double) f[i][0] + f[i][1] * (double) f[i][1]);
            within += acos((f[i][0] * centre[labels[i]][0] + f[i][1] * centre[labels[i]][1]) / n);
        }
        return new double[] {Math.toDegrees(gap), Math.toDegrees(within / f.length)};
    }

    private static double acos(double cos) {
        return Math.acos(Math.max(-1, Math.min(1, cos)));
    }

    @Test
    void anglesAgreeWithDotProductsOnRandomEmbeddings() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed * 31);
            double[] centres = new double[NAMES.size()];
            for (int k = 0; k < centres.length; k++) centres[k] = 360 * r.nextDouble() - 180;
            int[] labels = new int[NAMES.size() * 25];
            float[][] f = features(centres, 5 + 80 * r.nextDouble(), 25, labels, seed);
            EmbeddingCircleChart.Angles got = EmbeddingCircleChart.of("seed " + seed, f, labels, NAMES).angles();
            double[] want = byDotProducts(f, labels, NAMES.size());
            assertEquals(want[0], got.smallestBetweenPeople(), 1e-6, "smallest angle between people, seed " + seed);
            assertEquals(want[1], got.meanToOwnCentre(), 1e-6, "mean angle to own centre, seed " + seed);
            assertEquals(want[0] / want[1], got.ratio(), 1e-6 * Math.max(1, want[0] / want[1]));
        }
    }

    @Test
    void knownLayoutAcrossTheSeam() {
        // Ann at 175 and -175 degrees (centre 180), Bob at 120, Cid at -90, Dee at 0: every feature 5 degrees from its
        // centre, nearest centres Ann-Bob 60 degrees apart; Ann's features straddle the +-180 seam.
        double[] deg = {175, -175, 115, 125, -95, -85, -5, 5};
        float[][] f = new float[deg.length][];
        for (int i = 0; i < deg.length; i++) f[i] = new float[] {(float) Math.cos(Math.toRadians(deg[i])), (float) Math.sin(Math.toRadians(deg[i]))};
        EmbeddingCircleChart c = EmbeddingCircleChart.of("known", f, new int[] {0, 0, 1, 1, 2, 2, 3, 3}, NAMES);
        EmbeddingCircleChart.Angles a = c.angles();
        assertEquals(60, a.smallestBetweenPeople(), 1e-4);
        assertEquals(5, a.meanToOwnCentre(), 1e-4);
        assertEquals(12, a.ratio(), 1e-3);
        assertEquals(180, Math.abs(Math.toDegrees(c.centres()[0])), 1e-4);
        assertEquals(20, Math.toDegrees(EmbeddingCircleChart.between(Math.toRadians(350), Math.toRadians(10))), 1e-9);
        assertEquals(180, Math.toDegrees(EmbeddingCircleChart.between(0, Math.PI)), 1e-9);
    }

    @Test
    void circleChartPutsEveryFeatureOnTheUnitCircleAndRawKeepsLengths() {
        int[] labels = new int[40];
        float[][] f = features(new double[] {0, 90, 180, 270}, 10, 10, labels, 7);
        EmbeddingCircleChart c = EmbeddingCircleChart.of("AM-softmax", f, labels, NAMES);
        XYChart circle = c.onCircle(), raw = c.raw();
        assertEquals("AM-softmax", circle.getTitle());
        assertEquals("AM-softmax (raw features)", raw.getTitle());
        assertEquals(NAMES.size() + 1, circle.getSeriesMap().size(), "one series per person and the ring");
        int points = 0;
        for (String name : NAMES) {
            XYSeries s = circle.getSeriesMap().get(name);
            double[] x = s.getXData(), y = s.getYData();
            points += x.length;
            for (int i = 0; i < x.length; i++) assertEquals(1, Math.hypot(x[i], y[i]), 1e-6);
        }
        assertEquals(f.length, points);
        double longest = 0;
        for (String name : NAMES) {
            XYSeries s = raw.getSeriesMap().get(name);
            for (int i = 0; i < s.getXData().length; i++) longest = Math.max(longest, Math.hypot(s.getXData()[i], s.getYData()[i]));
        }
        double want = 0;
        for (float[] v : f) want = Math.max(want, Math.hypot(v[0], v[1]));
        assertEquals(want, longest, 1e-6);
        assertTrue(ChartPng.png(circle).length > 1000, "the chart draws");
    }

    @Test
    void anglesTableHasARowPerHead() {
        int[] labels = new int[40];
        EmbeddingCircleChart tight = EmbeddingCircleChart.of("tight", features(new double[] {0, 90, 180, 270}, 2, 10, labels, 3), labels, NAMES);
        EmbeddingCircleChart loose = EmbeddingCircleChart.of("loose", features(new double[] {0, 90, 180, 270}, 40, 10, labels, 3), labels, NAMES);
        Table t = EmbeddingCircleChart.anglesTable(List.of(tight, loose));
        assertEquals(List.of("tight", "loose"), t.stringColumn("head").asList());
        assertEquals(tight.angles().ratio(), t.doubleColumn("ratio").get(0), 1e-12);
        assertTrue(t.doubleColumn("ratio").get(0) > t.doubleColumn("ratio").get(1), "the tight embedding is better separated");
    }

    @Test
    void badInputIsNamed() {
        float[][] two = {{1, 0}, {0, 1}};
        assertThrows(IllegalArgumentException.class, () -> EmbeddingCircleChart.of("x", new float[][] {{1, 0, 0}, {0, 1, 0}}, new int[] {0, 1}, List.of("a", "b")));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> EmbeddingCircleChart.of("x", new float[][] {{1, 0}, {0, 0}}, new int[] {0, 1}, List.of("a", "b")));
        assertTrue(zero.getMessage().contains("feature 1"), zero.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> EmbeddingCircleChart.of("x", two, new int[] {0, 0}, List.of("a", "b")));
        assertTrue(missing.getMessage().contains("'b'"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingCircleChart.of("x", two, new int[] {0, 2}, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingCircleChart.of("x", two, new int[] {0}, List.of("a", "b")));
    }
}
