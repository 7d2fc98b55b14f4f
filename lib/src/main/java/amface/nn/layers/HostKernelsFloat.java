package amface.nn.layers;

import java.nio.FloatBuffer;

/**
 * The float32 versions of {@link HostKernels}' loops: what CPU training and inference run. Blocks of rows are
 * bulk-copied into float[] scratch (memcpy), processed by simple branch-free loops over the channel axis that the
 * JIT vectorises, and copied back. Per-block sums are float (at most {@value #BLOCK} elements per channel and block),
 * accumulated across blocks in double.
 */
final class HostKernelsFloat {
    private HostKernelsFloat() { }

    /** Elements per block: 32 KB of floats per operand, so a block of each stays in L1/L2. */
    static final int BLOCK = 8192;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][BLOCK + 4096]);

    private static float[][] scratch(int n) {
        float[][] s = SCRATCH.get();
        if (s[0].length < n) {
            s = new float[][] {new float[n], new float[n], new float[n]};
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

    /** Sums and sums of squares per channel of rows [from, to), added into sum and sq. */
    static void moments(FloatBuffer x, int from, int to, int c, double[] sum, double[] sq) {
        int br = blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0];
        float[] s = new float[c], q = new float[c];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            java.util.Arrays.fill(s, 0f);
            java.util.Arrays.fill(q, 0f);
            for (int base = 0; base < n; base += c) {
                for (int k = 0; k < c; k++) {
                    float v = xb[base + k];
                    s[k] += v;
                    q[k] += v * v;
                }
            }
            for (int k = 0; k < c; k++) {
                sum[k] += s[k];
                sq[k] += q[k];
            }
        }
    }

    /** out = z + am1 * min(z, 0) with z = x * scale + shift (am1 = alpha - 1, zero without PReLU). */
    static void affinePrelu(FloatBuffer x, int from, int to, int c, float[] scale, float[] shift, float[] am1, FloatBuffer out) {
        int br = blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0], ob = b[1];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            for (int base = 0; base < n; base += c) {
                for (int k = 0; k < c; k++) {
                    float z = xb[base + k] * scale[k] + shift[k];
                    ob[base + k] = z + am1[k] * Math.min(z, 0f);
                }
            }
            out.put(r0 * c, ob, 0, n);
        }
    }

    /**
     * First backward pass over rows [from, to): with xhat = (x - mean) * invStd, z = xhat * gamma + beta,
     * dz = g * (z > 0 ? 1 : alpha), adds sum(dz), sum(dz * xhat) and sum(g * min(z, 0)) per channel.
     */
    static void backwardSums(FloatBuffer x, FloatBuffer g, int from, int to, int c, float[] mean, float[] invStd,
                             float[] gamma, float[] beta, float[] am1, double[] dzSum, double[] dzxSum, double[] daSum) {
        int br = blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0], gb = b[1];
        float[] s1 = new float[c], s2 = new float[c], s3 = new float[c];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            g.get(r0 * c, gb, 0, n);
            java.util.Arrays.fill(s1, 0f);
            java.util.Arrays.fill(s2, 0f);
            java.util.Arrays.fill(s3, 0f);
            for (int base = 0; base < n; base += c) {
                for (int k = 0; k < c; k++) {
                    float xhat = (xb[base + k] - mean[k]) * invStd[k];
                    float z = xhat * gamma[k] + beta[k];
                    float gv = gb[base + k];
                    float neg = Math.min(z, 0f);
                    // (z < 0) as 0/1 without a branch: neg / z is 1 for z < 0 and 0 for z > 0; z == 0 counts as positive
                    float dz = gv + am1[k] * gv * negativeIndicator(z);
                    s1[k] += dz;
                    s2[k] += dz * xhat;
                    s3[k] += gv * neg;
                }
            }
            for (int k = 0; k < c; k++) {
                dzSum[k] += s1[k];
                dzxSum[k] += s2[k];
                daSum[k] += s3[k];
            }
        }
    }

    /** Second backward pass: gradX = coef * (dz - meanDz - xhat * meanDzx). */
    static void backwardInput(FloatBuffer x, FloatBuffer g, FloatBuffer gradX, int from, int to, int c, float[] mean,
                              float[] invStd, float[] gamma, float[] beta, float[] am1, float[] coef, float[] meanDz,
                              float[] meanDzx) {
        int br = blockRows(c);
        float[][] b = scratch(br * c);
        float[] xb = b[0], gb = b[1], ob = b[2];
        for (int r0 = from; r0 < to; r0 += br) {
            int n = Math.min(br, to - r0) * c;
            x.get(r0 * c, xb, 0, n);
            g.get(r0 * c, gb, 0, n);
            for (int base = 0; base < n; base += c) {
                for (int k = 0; k < c; k++) {
                    float xhat = (xb[base + k] - mean[k]) * invStd[k];
                    float z = xhat * gamma[k] + beta[k];
                    float gv = gb[base + k];
                    float dz = gv + am1[k] * gv * negativeIndicator(z);
                    ob[base + k] = coef[k] * (dz - meanDz[k] - xhat * meanDzx[k]);
                }
            }
            gradX.put(r0 * c, ob, 0, n);
        }
    }

    /** 1 for z < 0 (and -0), 0 otherwise: the sign bit, branch-free (a branch on a BN output's sign mispredicts half the time). */
    private static float negativeIndicator(float z) {
        return Float.floatToRawIntBits(z) >>> 31;
    }
}
