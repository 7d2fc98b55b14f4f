package amface.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The range rules against a brute-force reference: each sample quantized exactly as the engine stores it
 * ({@code clamp(round(v * 127 / r), -127, 127) * r / 127}) at 1,000 candidate ranges, the mean squared error of every
 * one computed over the samples themselves (not a histogram), and the best kept.
 */
class ActivationRangeTest {
    /** Batch-norm-like activations: mostly unit Gaussian (or Laplacian), a few large values far out. */
    private static float[] activations(long seed, boolean laplace, int outliers) {
        Random r = new Random(seed);
        float[] v = new float[200_000];
        for (int i = 0; i < v.length; i++) {
            double g = laplace ? -Math.log(1 - r.nextDouble()) * (r.nextBoolean() ? 1 : -1) : r.nextGaussian();
            v[i] = (float) g;
        }
        for (int i = 0; i < outliers; i++) v[r.nextInt(v.length)] = (float) (8 + 10 * r.nextDouble());
        return v;
    }

    /** Weighted mean squared error of storing {@code v} at range {@code range}, value by value. */
    private static double exactError(float[] v, double[] weight, double range) {
        double scale = 127 / range, e = 0, w = 0;
        for (int i = 0; i < v.length; i++) {
            double q = Math.max(-127, Math.min(127, Math.rint(v[i] * scale))) / scale;
            double wi = weight == null ? 1 : weight[i];
            e += wi * (q - v[i]) * (q - v[i]);
            w += wi;
        }
        return e / w;
    }

    private static double max(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    private static ActivationRange.Histogram histogram(float[] v, double[] weight) {
        ActivationRange.Histogram h = new ActivationRange.Histogram(max(v));
        for (int i = 0; i < v.length; i++) h.add(Math.abs(v[i]), weight == null ? 1 : weight[i]);
        return h;
    }

    /** The best of 1,000 ranges between max/64 and max, by exact error. */
    private static double bruteForceBest(float[] v, double[] weight) {
        double m = max(v), best = m, bestError = Double.MAX_VALUE;
        for (int k = 0; k < 1000; k++) {
            double r = m / 64 + k * (m - m / 64) / 999;
            double e = exactError(v, weight, r);
            if (e < bestError) {
                bestError = e;
                best = r;
            }
        }
        return best;
    }

    @Test
    void mseRangeIsTheBruteForceBest() {
        for (boolean laplace : new boolean[] {false, true}) {
            float[] v = activations(laplace ? 2 : 1, laplace, 40);
            double chosen = ActivationRange.MSE.choose(histogram(v, null));
            double best = bruteForceBest(v, null);
            double eChosen = exactError(v, null, chosen), eBest = exactError(v, null, best), eMax = exactError(v, null, max(v));
            System.out.printf("%s: mse range %.4f (brute force %.4f, max %.4f): error %.3e against %.3e, max's %.3e%n",
                laplace ? "laplace" : "gauss", chosen, best, max(v), eChosen, eBest, eMax);
            assertTrue(eChosen <= 1.02 * eBest, "the histogram's choice is within 2 % of the best error: " + eChosen + " vs " + eBest);
            assertTrue(eChosen < eMax, "the chosen range clips some outliers, and that pays: " + eChosen + " vs " + eMax);
        }
    }

    /** Negative values whose error a PReLU slope of 0.1 scales (weight 0.01): the range follows the positive side. */
    @Test
    void weightsShiftTheRangeTowardsTheValuesThatCount() {
        Random r = new Random(3);
        float[] v = new float[100_000];
        double[] w = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            boolean negative = r.nextBoolean();
            v[i] = (float) (negative ? -4 * Math.abs(r.nextGaussian()) : Math.abs(r.nextGaussian()));
            w[i] = negative ? 0.01 : 1;
        }
        double weighted = ActivationRange.MSE.choose(histogram(v, w)), plain = ActivationRange.MSE.choose(histogram(v, null));
        double best = bruteForceBest(v, w);
        assertTrue(exactError(v, w, weighted) <= 1.02 * exactError(v, w, best), weighted + " vs brute force " + best);
        assertTrue(weighted < 0.8 * plain, "the weighted range " + weighted + " is well under the unweighted " + plain);
    }

    @Test
    void percentileAndMaxAgainstSortedValues() {
        float[] v = activations(4, false, 10);
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
        Arrays.sort(a);
        ActivationRange.Histogram h = histogram(v, null);
        double bin = max(v) / ActivationRange.Histogram.BINS;
        for (double share : new double[] {0.5, 0.99, 0.9999}) {
            double want = a[(int) Math.ceil(share * a.length) - 1];
            double got = ActivationRange.percentile(share).choose(h);
            assertTrue(got >= want && got <= want + bin + 1e-6, share + ": " + got + " vs " + want);
        }
        assertEquals(a[a.length - 1], ActivationRange.max().choose(h), bin);
        assertEquals(1f, ActivationRange.MSE.choose(new ActivationRange.Histogram(0)), "all zeros: a harmless range");
    }

    @Test
    void rulesParseAndBadOnesSayWhy() {
        assertEquals(ActivationRange.MSE, ActivationRange.parse("MSE"));
        assertEquals("max", ActivationRange.parse("max").toString());
        assertEquals(0.9999, ActivationRange.parse("percentile:0.9999").share());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ActivationRange.parse("entropy")).getMessage()
            .contains("unknown activation range rule 'entropy' (mse, max or percentile:SHARE)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ActivationRange.parse("percentile:1.5")).getMessage()
            .contains("(0, 1], got 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ActivationRange.parse("percentile:x")).getMessage()
            .contains("not a number"));
    }
}
