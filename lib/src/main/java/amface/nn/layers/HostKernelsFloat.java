package amface.nn.layers;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float32 element loops of {@link HostKernels}: what CPU training and inference run. Blocks of whole rows
 * are bulk-copied into float[] scratch (memcpy) and processed by single flat loops against per-channel
 * parameters tiled to the block length, then copied back. Measured here, that shape is what the JIT vectorises:
 * a nested channel loop, {@code Math.min}, a branch or a sign-bit test on the BN output each made the loop 4-20x
 * slower. Sums are kept per position of the block and folded per channel at the end of a chunk.
 */
final class HostKernelsFloat {
    private HostKernelsFloat() { }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][0]);

    private static float[][] scratch(int n) {
        float[][] s = SCRATCH.get();
        if (s[0].length < n) {
            s = new float[6][n];
            SCRATCH.set(s);
        }
        return s;
    }

    private static FloatBuffer buffer(INDArray a) {
        return a.data().asNioFloat().position((int) a.offset()).slice().limit((int) a.length());
    }

    /** A per-channel vector, rounded to float, repeated over a block of rows. */
    private static float[] tile(double[] perChannel, int c) {
        int br = HostKernels.blockRows(c);
        float[] t = new float[br * c];
        for (int r = 0; r < br; r++) {
            for (int k = 0; k < c; k++) t[r * c + k] = (float) perChannel[k];
        }
        return t;
    }

    static final HostKernels.Loops LOOPS = new HostKernels.Loops() {
        @Override
        public HostKernels.RowSums moments(INDArray x, int c) {
            FloatBuffer xs = buffer(x);
            return (from, to, s) -> HostKernelsFloat.moments(xs, from, to, c, s[0], s[1]);
        }

        @Override
        public HostKernels.RowRange affinePrelu(INDArray x, int c, double[] scale, double[] shift, double[] am1,
                                                INDArray out) {
            FloatBuffer xs = buffer(x), os = buffer(out);
            float[] sc = tile(scale, c), sh = tile(shift, c), a = tile(am1, c);
            return (task, from, to) -> HostKernelsFloat.affinePrelu(xs, from, to, c, sc, sh, a, os);
        }

        @Override
        public HostKernels.Backward backward(INDArray x, int c, HostKernels.Bn bn, INDArray gradOut, INDArray gradX) {
            return new Backward(buffer(x), buffer(gradOut), buffer(gradX), c, tile(bn.mean(), c), tile(bn.invStd(), c),
                tile(bn.gamma(), c), tile(bn.beta(), c), tile(bn.am1(), c));
        }
    };

    /** The two backward passes with their parameters tiled; the first leaves dz in gradX for the second. */
    private record Backward(FloatBuffer x, FloatBuffer gradOut, FloatBuffer gradX, int c, float[] mean,
                            float[] invStd, float[] gamma, float[] beta, float[] am1) implements HostKernels.Backward {
        @Override
        public void sums(int from, int to, double[][] s) {
            backwardSums(x, gradOut, gradX, from, to, c, mean, invStd, gamma, beta, am1, s[0], s[1], s[2]);
        }

        @Override
        public HostKernels.RowRange input(double[] coef, double[] meanDz, double[] meanDzx) {
            float[] coefT = tile(coef, c), meanDzT = tile(meanDz, c), meanDzxT = tile(meanDzx, c);
            return (task, from, to) -> backwardInput(x, gradX, from, to, c, mean, invStd, coefT, meanDzT, meanDzxT);
        }
    }

    /** Adds sums and sums of squares per channel of rows [from, to) into sum and sq. */
    private static void moments(FloatBuffer x, int from, int to, int c, double[] sum, double[] sq) {
        int br = HostKernels.blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0], s = new float[br * c], q = new float[br * c];
        int blocks = 0;
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            for (int i = 0; i < n; i++) {
                float v = xb[i];
                s[i] += v;
                q[i] += v * v;
            }
            // fold every few blocks so float partial sums stay short
            if (++blocks % 16 == 0) {
                foldRange(s, br * c, c, sum);
                foldRange(q, br * c, c, sq);
            }
        }
        foldRange(s, br * c, c, sum);
        foldRange(q, br * c, c, sq);
    }

    private static void foldRange(float[] acc, int len, int c, double[] into) {
        for (int base = 0; base < len; base += c) {
            for (int k = 0; k < c; k++) into[k] += acc[base + k];
        }
        java.util.Arrays.fill(acc, 0, len, 0f);
    }

    /** out = z + am1 * min(z, 0) with z = x * scale + shift (am1 = alpha - 1; zero without PReLU); tiled params. */
    private static void affinePrelu(FloatBuffer x, int from, int to, int c, float[] scale, float[] shift, float[] am1, FloatBuffer out) {
        int br = HostKernels.blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0], ob = b[1];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            for (int i = 0; i < n; i++) {
                float z = xb[i] * scale[i] + shift[i];
                ob[i] = z + am1[i] * 0.5f * (z - Math.abs(z));
            }
            out.put(r0 * c, ob, 0, n);
        }
    }

    /**
     * 1 for z < 0 and 0 for z > 0 (exactly, for |z| above ~1e-23; 0.5 at 0): the negative-side indicator of
     * PReLU's slope in a form the JIT vectorises.
     */
    private static float negative(float z) {
        return 0.5f - 0.5f * z / (Math.abs(z) + 1e-30f);
    }

    /**
     * xhat, z, dz and the PReLU slope term for one block, as several short loops: one loop doing all of it reads
     * too many arrays for the JIT to vectorise (measured 4x slower).
     */
    private static void slopes(float[] xb, float[] gb, int n, float[] mean, float[] invStd, float[] gamma, float[] beta,
                               float[] am1, float[] xh, float[] zt, float[] dz) {
        for (int i = 0; i < n; i++) xh[i] = (xb[i] - mean[i]) * invStd[i];
        for (int i = 0; i < n; i++) zt[i] = xh[i] * gamma[i] + beta[i];
        for (int i = 0; i < n; i++) dz[i] = gb[i] + am1[i] * gb[i] * negative(zt[i]);
    }

    /**
     * First backward pass over rows [from, to): with xhat = (x - mean) * invStd, z = xhat * gamma + beta and
     * dz = g * (z > 0 ? 1 : alpha), adds sum(dz), sum(dz * xhat) and sum(g * min(z, 0)) per channel. Params tiled.
     */
    private static void backwardSums(FloatBuffer x, FloatBuffer g, FloatBuffer dzOut, int from, int to, int c, float[] mean,
                             float[] invStd, float[] gamma, float[] beta, float[] am1, double[] dzSum, double[] dzxSum,
                             double[] daSum) {
        int br = HostKernels.blockRows(c), len = br * c;
        float[][] b = scratch(len);
        float[] xb = b[0], gb = b[1], xh = b[2], zt = b[3], dz = b[4];
        float[] s1 = new float[len], s2 = new float[len], s3 = new float[len];
        int blocks = 0;
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            g.get(r0 * c, gb, 0, n);
            slopes(xb, gb, n, mean, invStd, gamma, beta, am1, xh, zt, dz);
            for (int i = 0; i < n; i++) s3[i] += gb[i] * 0.5f * (zt[i] - Math.abs(zt[i]));
            for (int i = 0; i < n; i++) {
                s1[i] += dz[i];
                s2[i] += dz[i] * xh[i];
            }
            dzOut.put(r0 * c, dz, 0, n);
            if (++blocks % 16 == 0) {
                foldRange(s1, len, c, dzSum);
                foldRange(s2, len, c, dzxSum);
                foldRange(s3, len, c, daSum);
            }
        }
        foldRange(s1, len, c, dzSum);
        foldRange(s2, len, c, dzxSum);
        foldRange(s3, len, c, daSum);
    }

    /**
     * Second backward pass: gradX = coef * (dz - meanDz - xhat * meanDzx), with dz as the first pass left it in
     * gradX (so the slope is not recomputed). Params tiled.
     */
    private static void backwardInput(FloatBuffer x, FloatBuffer gradX, int from, int to, int c, float[] mean, float[] invStd,
                              float[] coef, float[] meanDz, float[] meanDzx) {
        int br = HostKernels.blockRows(c), len = br * c;
        float[][] b = scratch(len);
        float[] xb = b[0], dz = b[1], xh = b[2], ob = b[3];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            gradX.get(r0 * c, dz, 0, n);
            for (int i = 0; i < n; i++) xh[i] = (xb[i] - mean[i]) * invStd[i];
            for (int i = 0; i < n; i++) ob[i] = coef[i] * (dz[i] - meanDz[i] - xh[i] * meanDzx[i]);
            gradX.put(r0 * c, ob, 0, n);
        }
    }
}
