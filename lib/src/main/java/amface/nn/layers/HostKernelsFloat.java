package amface.nn.layers;

import java.nio.FloatBuffer;

/**
 * The float32 versions of {@link HostKernels}' loops: what CPU training and inference run. Blocks of whole rows
 * are bulk-copied into float[] scratch (memcpy) and processed by single flat loops against per-channel
 * parameters tiled to the block length, then copied back. Measured here, that shape is what the JIT vectorises:
 * a nested channel loop, {@code Math.min}, a branch or a sign-bit test on the BN output each made the loop 4-20x
 * slower. Sums are kept per position of the block and folded per channel at the end of a chunk.
 */
final class HostKernelsFloat {
    private HostKernelsFloat() { }

    /** Elements per block: 32 KB of floats per operand, so every operand of a block stays in L1/L2. */
    static final int BLOCK = 8192;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][0]);

    private static float[][] scratch(int n) {
        float[][] s = SCRATCH.get();
        if (s[0].length < n) {
            s = new float[6][n];
            SCRATCH.set(s);
        }
        return s;
    }

    static int blockRows(int c) {
        return Math.max(1, BLOCK / c);
    }

    static FloatBuffer buffer(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.data().asNioFloat().position((int) a.offset()).slice().limit((int) a.length());
    }

    static float[] f(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }

    /** A per-channel vector repeated over a block of rows. */
    static float[] tile(float[] perChannel, int c) {
        int br = blockRows(c);
        float[] t = new float[br * c];
        for (int r = 0; r < br; r++) System.arraycopy(perChannel, 0, t, r * c, c);
        return t;
    }

    static float[] tile(double[] perChannel, int c) {
        return tile(f(perChannel), c);
    }


    /** Adds sums and sums of squares per channel of rows [from, to) into sum and sq. */
    static void moments(FloatBuffer x, int from, int to, int c, double[] sum, double[] sq) {
        int br = blockRows(c);
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
    static void affinePrelu(FloatBuffer x, int from, int to, int c, float[] scale, float[] shift, float[] am1, FloatBuffer out) {
        int br = blockRows(c);
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
    static void backwardSums(FloatBuffer x, FloatBuffer g, int from, int to, int c, float[] mean, float[] invStd,
                             float[] gamma, float[] beta, float[] am1, double[] dzSum, double[] dzxSum, double[] daSum) {
        int br = blockRows(c), len = br * c;
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

    /** Second backward pass: gradX = coef * (dz - meanDz - xhat * meanDzx). Params tiled. */
    static void backwardInput(FloatBuffer x, FloatBuffer g, FloatBuffer gradX, int from, int to, int c, float[] mean,
                              float[] invStd, float[] gamma, float[] beta, float[] am1, float[] coef, float[] meanDz,
                              float[] meanDzx) {
        int br = blockRows(c), len = br * c;
        float[][] b = scratch(len);
        float[] xb = b[0], gb = b[1], xh = b[2], zt = b[3], dz = b[4], ob = b[5];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            g.get(r0 * c, gb, 0, n);
            slopes(xb, gb, n, mean, invStd, gamma, beta, am1, xh, zt, dz);
            for (int i = 0; i < n; i++) ob[i] = coef[i] * (dz[i] - meanDz[i] - xh[i] * meanDzx[i]);
            gradX.put(r0 * c, ob, 0, n);
        }
    }
}
