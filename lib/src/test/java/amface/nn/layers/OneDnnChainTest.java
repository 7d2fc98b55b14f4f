package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link OneDnnChain} against plain loops in double on NCHW arrays: convolution, PReLU, max-pooling (SAME with
 * odd sizes, so padding is exercised, and VALID) and dense layers, the ones MTCNN stacks.
 */
class OneDnnChainTest {
    private static final double TOL = 1e-5;

    @BeforeAll
    static void oneDnn() {
        assumeTrue(OneDnn.available(), "oneDNN did not load: " + OneDnn.problem());
    }

    /** A naive network over NCHW double arrays: the independent computation. */
    private static final class Naive {
        int c, h, w;
        double[] x;

        Naive(float[] nhwc, int c, int h, int w) {
            this.c = c; this.h = h; this.w = w;
            x = new double[c * h * w];
            for (int y = 0; y < h; y++) for (int i = 0; i < w; i++) for (int k = 0; k < c; k++) x[(k * h + y) * w + i] = nhwc[(y * w + i) * c + k];
        }

        void conv(int kernel, int out, float[] oihw, float[] bias) {
            int oh = h - kernel + 1, ow = w - kernel + 1;
            double[] y = new double[out * oh * ow];
            for (int o = 0; o < out; o++) for (int r = 0; r < oh; r++) for (int s = 0; s < ow; s++) {
                double v = bias[o];
                for (int i = 0; i < c; i++) for (int a = 0; a < kernel; a++) for (int b = 0; b < kernel; b++) {
                    v += oihw[((o * c + i) * kernel + a) * kernel + b] * x[(i * h + r + a) * w + s + b];
                }
                y[(o * oh + r) * ow + s] = v;
            }
            x = y; c = out; h = oh; w = ow;
        }

        void prelu(float[] alpha) {
            int plane = x.length / c;
            for (int i = 0; i < x.length; i++) if (x[i] < 0) x[i] *= alpha[i / plane];
        }

        void maxPool(int k, int s, boolean same) {
            int oh = same ? (h + s - 1) / s : (h - k) / s + 1, ow = same ? (w + s - 1) / s : (w - k) / s + 1;
            int padT = same ? Math.max((oh - 1) * s + k - h, 0) / 2 : 0, padL = same ? Math.max((ow - 1) * s + k - w, 0) / 2 : 0;
            double[] y = new double[c * oh * ow];
            for (int ch = 0; ch < c; ch++) for (int r = 0; r < oh; r++) for (int q = 0; q < ow; q++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) {
                    int yy = r * s + a - padT, xx = q * s + b - padL;
                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) m = Math.max(m, x[(ch * h + yy) * w + xx]);
                }
                y[(ch * oh + r) * ow + q] = m;
            }
            x = y; h = oh; w = ow;
        }

        void dense(int out, float[] weights, float[] bias) {
            double[] y = new double[out];
            for (int o = 0; o < out; o++) {
                double v = bias[o];
                for (int i = 0; i < x.length; i++) v += weights[o * x.length + i] * x[i];
                y[o] = v;
            }
            x = y; c = out; h = 1; w = 1;
        }
    }

    private static float[] random(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, int offset, String what) {
        double scale = 1e-3, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[offset + i]));
        }
        System.out.printf("OneDnnChainTest %s: max |difference| %.2e (scale %.2f)%n", what, err, scale);
        assertTrue(err <= TOL * scale, what + ": max |difference| " + err + " > " + TOL + " * " + scale);
    }

    @Test
    void convolutionalChainMatchesLoopsWithPaddedPooling() {
        Random r = new Random(1);
        float[] w1 = random(r, 10 * 3 * 9, 0.3), b1 = random(r, 10, 0.1), a1 = random(r, 10, 0.3);
        float[] w2 = random(r, 16 * 10 * 9, 0.2), b2 = random(r, 16, 0.1), a2 = random(r, 16, 0.3);
        float[] w3 = random(r, 6 * 16, 0.3), b3 = random(r, 6, 0.1);
        OneDnnChain chain = OneDnnChain.builder(3).conv(3, 10, w1, b1).prelu(a1).maxPool(2, 2, true)
            .conv(3, 16, w2, b2).prelu(a2).maxPool(3, 2, true).conv(1, 6, w3, b3).build();
        int n = 2, h = 23, w = 18;
        float[] x = random(r, n * h * w * 3, 1);
        OneDnnChain.Output out = chain.forward(x, n, h, w);
        System.out.println("OneDnnChainTest conv chain: " + chain.implementations(n, h, w));
        // 23x18 -> conv 21x16 -> pool SAME 11x8 (padded rows) -> conv 9x6 -> pool 3/2 SAME 5x3 (padded both) -> 1x1
        assertArrayEquals(new long[] {n, 6, 5, 3}, out.dims());
        int per = 6 * 5 * 3, image = h * w * 3;
        for (int k = 0; k < n; k++) {
            float[] one = java.util.Arrays.copyOfRange(x, k * image, (k + 1) * image);
            Naive ref = new Naive(one, 3, h, w);
            ref.conv(3, 10, w1, b1); ref.prelu(a1); ref.maxPool(2, 2, true);
            ref.conv(3, 16, w2, b2); ref.prelu(a2); ref.maxPool(3, 2, true); ref.conv(1, 6, w3, b3);
            assertClose(ref.x, out.values(), k * per, "conv chain, image " + k);
        }
    }

    @Test
    void denseChainMatchesLoopsOnTheNchwFlattening() {
        Random r = new Random(2);
        float[] w1 = random(r, 8 * 3 * 9, 0.3), b1 = random(r, 8, 0.1), a1 = random(r, 8, 0.3);
        float[] w2 = random(r, 12 * 8 * 4, 0.2), b2 = random(r, 12, 0.1), a2 = random(r, 12, 0.3);
        float[] w3 = random(r, 20 * 12 * 3 * 3, 0.1), b3 = random(r, 20, 0.1), a3 = random(r, 20, 0.3);
        float[] w4 = random(r, 6 * 20, 0.3), b4 = random(r, 6, 0.1);
        OneDnnChain chain = OneDnnChain.builder(3).conv(3, 8, w1, b1).prelu(a1).maxPool(3, 2, false)
            .conv(2, 12, w2, b2).prelu(a2).dense(20, w3, b3).prelu(a3).dense(6, w4, b4).build();
        int h = 12, w = 12;
        // 12 -> conv 10 -> pool 3/2 VALID 4 -> conv 2x2 3 -> dense 20 -> dense 6; batches 1 and 5 (two plans)
        for (int n : new int[] {1, 5}) {
            float[] x = random(r, n * h * w * 3, 1);
            OneDnnChain.Output out = chain.forward(x, n, h, w);
            assertArrayEquals(new long[] {n, 6}, out.dims());
            int image = h * w * 3;
            for (int k = 0; k < n; k++) {
                Naive ref = new Naive(java.util.Arrays.copyOfRange(x, k * image, (k + 1) * image), 3, h, w);
                ref.conv(3, 8, w1, b1); ref.prelu(a1); ref.maxPool(3, 2, false);
                ref.conv(2, 12, w2, b2); ref.prelu(a2); ref.dense(20, w3, b3); ref.prelu(a3); ref.dense(6, w4, b4);
                assertClose(ref.x, out.values(), k * 6, "dense chain, batch " + n + " image " + k);
            }
        }
        System.out.println("OneDnnChainTest dense chain: " + chain.implementations(5, h, w));
    }

    @Test
    void plansOverTheByteBudgetAreFreedAndRemade() {
        Random r = new Random(3);
        float[] w1 = random(r, 4 * 3 * 9, 0.3), b1 = random(r, 4, 0.1), a1 = random(r, 4, 0.3);
        // one byte: every new input shape frees the plans before it
        OneDnnChain chain = OneDnnChain.builder(3).conv(3, 4, w1, b1).prelu(a1).maxPool(2, 2, true).maxBytes(1).build();
        float[] x = random(r, 9 * 11 * 3, 1), z = random(r, 14 * 8 * 3, 1);
        float[] first = chain.forward(x, 1, 9, 11).values();
        chain.forward(z, 1, 14, 8);
        float[] again = chain.forward(x, 1, 9, 11).values();
        assertArrayEquals(first, again);
        Naive ref = new Naive(x, 3, 9, 11);
        ref.conv(3, 4, w1, b1); ref.prelu(a1); ref.maxPool(2, 2, true);
        assertClose(ref.x, again, 0, "after eviction");
    }

    @Test
    void badShapesAreNamed() {
        OneDnnChain chain = OneDnnChain.builder(3).conv(3, 2, new float[2 * 3 * 9], new float[2]).build();
        assertThrows(IllegalArgumentException.class, () -> chain.forward(new float[10], 1, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> chain.forward(new float[2 * 2 * 3], 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> OneDnnChain.builder(3).conv(3, 2, new float[5], new float[2]));
    }
}
