package amface.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Batch-norm statistics, the batch-norm + PReLU forward and their fused backward as plain loops over host
 * memory, parallel over rows of C channels (NHWC, or [N, C] for dense input).
 *
 * <p>Why Java loops: in libnd4j M2.1 on the CPU, {@code moments} takes ~30 ms, {@code batchnorm_bp} ~150 ms and
 * {@code prelu} ~270 ms on a 32x56x48x64 activation (while the conv on it takes ~40 ms), and {@code prelu_bp}
 * rejects such inputs outright. Two fused passes here do the whole BN+PReLU backward in ~20 ms.
 */
final class HostKernels {
    private HostKernels() { }

    private static volatile ForkJoinPool pool = new ForkJoinPool(defaultThreads());

    private static int defaultThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            if (omp != null) return Math.max(1, Integer.parseInt(omp.trim()));
        } catch (NumberFormatException ignored) {
            // fall through
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Threads of the host loops (the benchmark sets it with libnd4j's own thread count). */
    static synchronized void setThreads(int threads) {
        if (threads != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(Math.max(1, threads));
            old.shutdown();
        }
    }

    static int threads() {
        return pool.getParallelism();
    }

    private interface RowRange {
        void run(int task, int fromRow, int toRow);
    }

    /** Below this many rows, waking other threads costs more than it saves. */
    private static final int MIN_PARALLEL_ROWS = 1024;

    /** Splits rows into a few chunks per thread and runs them; returns the number of chunks. */
    private static int parallel(int rows, RowRange body) {
        int chunks = Math.max(1, Math.min(rows, pool.getParallelism() * 4));
        if (chunks == 1 || rows < MIN_PARALLEL_ROWS) {
            body.run(0, 0, rows);
            return 1;
        }
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int t = 0; t < chunks; t++) {
            final int task = t, from = (int) ((long) rows * t / chunks), to = (int) ((long) rows * (t + 1) / chunks);
            tasks.add(() -> {
                body.run(task, from, to);
                return null;
            });
        }
        // A kernel interrupt must not cut a step in half (the trainer stops between steps, at a consistent state):
        // wait for every chunk, then set the flag again for the trainer to see.
        boolean interrupted = false;
        for (Future<Void> f : pool.invokeAll(tasks)) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (interrupted) Thread.currentThread().interrupt();
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return chunks;
    }

    /** Rows per block: about 8k elements, so a block of each operand stays in L1/L2. */
    private static int blockRows(int c) {
        return Math.max(1, 8192 / c);
    }

    private static final ThreadLocal<double[][]> BLOCKS = ThreadLocal.withInitial(() -> new double[3][0]);

    /** Three per-thread scratch blocks of at least n doubles. */
    private static double[][] blocks(int n) {
        double[][] b = BLOCKS.get();
        if (b[0].length < n) {
            b = new double[][] {new double[n], new double[n], new double[n]};
            BLOCKS.set(b);
        }
        return b;
    }

    /** Float32 moments (see {@link HostKernelsFloat}). */
    static void momentsFloat(java.nio.FloatBuffer x, int rows, int c, double[] mean, double[] var) {
        int slots = rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4);
        double[][] s = new double[slots][], q = new double[slots][];
        int chunks = parallel(rows, (task, from, to) -> {
            double[] sum = new double[c], sq = new double[c];
            HostKernelsFloat.moments(x, from, to, c, sum, sq);
            s[task] = sum;
            q[task] = sq;
        });
        for (int k = 0; k < c; k++) {
            double sum = 0, sq = 0;
            for (int t = 0; t < chunks; t++) {
                sum += s[t][k];
                sq += q[t][k];
            }
            mean[k] = sum / rows;
            var[k] = Math.max(0, sq / rows - mean[k] * mean[k]);
        }
    }

    /** Float32 out = prelu(x * scale + shift). */
    static void affinePreluFloat(java.nio.FloatBuffer x, int rows, int c, double[] scale, double[] shift, double[] alpha,
                                 java.nio.FloatBuffer out) {
        float[] am1 = new float[c];
        for (int k = 0; k < c; k++) am1[k] = alpha == null ? 0f : (float) (alpha[k] - 1);
        float[] sc = HostKernelsFloat.tile(scale, c), sh = HostKernelsFloat.tile(shift, c), a = HostKernelsFloat.tile(am1, c);
        parallel(rows, (task, from, to) -> HostKernelsFloat.affinePrelu(x, from, to, c, sc, sh, a, out));
    }

    /** Float32 version of {@link #batchNormPreluBackward}. */
    static void batchNormPreluBackwardFloat(java.nio.FloatBuffer x, int rows, int c, double[] mean, double[] invStd,
                                            double[] gamma, double[] beta, double[] alpha, java.nio.FloatBuffer gradOut,
                                            java.nio.FloatBuffer gradX, double[] gradGamma, double[] gradBeta,
                                            double[] gradAlpha) {
        float[] am1c = new float[c];
        for (int k = 0; k < c; k++) am1c[k] = alpha == null ? 0f : (float) (alpha[k] - 1);
        float[] m = HostKernelsFloat.tile(mean, c), is = HostKernelsFloat.tile(invStd, c), ga = HostKernelsFloat.tile(gamma, c),
            be = HostKernelsFloat.tile(beta, c), am1 = HostKernelsFloat.tile(am1c, c);
        int slots = rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4);
        double[][] sdz = new double[slots][], sdzx = new double[slots][], sda = new double[slots][];
        int chunks = parallel(rows, (task, from, to) -> {
            double[] a = new double[c], b = new double[c], d = new double[c];
            HostKernelsFloat.backwardSums(x, gradOut, gradX, from, to, c, m, is, ga, be, am1, a, b, d);
            sdz[task] = a;
            sdzx[task] = b;
            sda[task] = d;
        });
        float[] meanDz = new float[c], meanDzx = new float[c], coef = new float[c];
        for (int k = 0; k < c; k++) {
            double p = 0, q = 0, d = 0;
            for (int t = 0; t < chunks; t++) {
                p += sdz[t][k];
                q += sdzx[t][k];
                d += sda[t][k];
            }
            gradBeta[k] = p;
            gradGamma[k] = q;
            if (gradAlpha != null) gradAlpha[k] = d;
            meanDz[k] = (float) (p / rows);
            meanDzx[k] = (float) (q / rows);
            coef[k] = (float) (gamma[k] * invStd[k]);
        }
        float[] coefT = HostKernelsFloat.tile(coef, c), meanDzT = HostKernelsFloat.tile(meanDz, c),
            meanDzxT = HostKernelsFloat.tile(meanDzx, c);
        parallel(rows, (task, from, to) -> HostKernelsFloat.backwardInput(x, gradX, from, to, c, m, is, coefT, meanDzT,
            meanDzxT));
    }

    /**
     * 1 for negative z, 0 otherwise, without a branch: the sign of a BN output is a coin flip, and a branch on it
     * mispredicts half the time (that alone made this backward 4x slower).
     */
    private static double negative(double z) {
        return Double.doubleToRawLongBits(z) >>> 63;
    }

    /** Per-channel mean and biased variance of x ([rows, c] in memory). */
    static void moments(HostBuffer x, int rows, int c, double[] mean, double[] var) {
        double[][] s = new double[rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4)][];
        double[][] q = new double[s.length][];
        int br = blockRows(c);
        int chunks = parallel(rows, (task, from, to) -> {
            double[] sum = new double[c], sq = new double[c];
            double[] xb = blocks(br * c)[0];
            for (int r0 = from; r0 < to; r0 += br) {
                int n = Math.min(br, to - r0) * c;
                x.read(r0 * c, xb, n);
                for (int base = 0; base < n; base += c) {
                    for (int k = 0; k < c; k++) {
                        double v = xb[base + k];
                        sum[k] += v;
                        sq[k] += v * v;
                    }
                }
            }
            s[task] = sum;
            q[task] = sq;
        });
        for (int k = 0; k < c; k++) {
            double sum = 0, sq = 0;
            for (int t = 0; t < chunks; t++) {
                sum += s[t][k];
                sq += q[t][k];
            }
            mean[k] = sum / rows;
            var[k] = Math.max(0, sq / rows - mean[k] * mean[k]);
        }
    }

    /** out = prelu(x * scale + shift) per channel; alpha null means no PReLU. */
    static void affinePrelu(HostBuffer x, int rows, int c, double[] scale, double[] shift, double[] alpha, HostBuffer out) {
        int br = blockRows(c);
        // prelu(z) = z + (alpha - 1) * min(z, 0): branch-free, so the loop vectorises
        double[] am1 = new double[c];
        for (int k = 0; k < c; k++) am1[k] = alpha == null ? 0 : alpha[k] - 1;
        parallel(rows, (task, from, to) -> {
            double[][] b = blocks(br * c);
            double[] xb = b[0], ob = b[1];
            for (int r0 = from; r0 < to; r0 += br) {
                int n = Math.min(br, to - r0) * c;
                x.read(r0 * c, xb, n);
                for (int base = 0; base < n; base += c) {
                    for (int k = 0; k < c; k++) {
                        double z = xb[base + k] * scale[k] + shift[k];
                        ob[base + k] = z + am1[k] * Math.min(z, 0.0);
                    }
                }
                out.write(r0 * c, ob, n);
            }
        });
    }

    /**
     * Backward of {@code out = prelu(gamma * (x - mean) * invStd + beta)} with batch statistics mean/invStd of x.
     * Writes gradX and fills gradGamma, gradBeta, gradAlpha (gradAlpha only when alpha is not null).
     */
    static void batchNormPreluBackward(HostBuffer x, int rows, int c, double[] mean, double[] invStd, double[] gamma,
                                       double[] beta, double[] alpha, HostBuffer gradOut, HostBuffer gradX,
                                       double[] gradGamma, double[] gradBeta, double[] gradAlpha) {
        int slots = rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4);
        double[][] sdz = new double[slots][], sdzx = new double[slots][], sda = new double[slots][];
        double[] am1 = new double[c];
        for (int k = 0; k < c; k++) am1[k] = alpha == null ? 0 : alpha[k] - 1;
        int br = blockRows(c);
        int chunks = parallel(rows, (task, from, to) -> {
            double[] dzSum = new double[c], dzxSum = new double[c], daSum = new double[c];
            double[][] b = blocks(br * c);
            double[] xb = b[0], gb = b[1];
            for (int r0 = from; r0 < to; r0 += br) {
                int n = Math.min(br, to - r0) * c;
                x.read(r0 * c, xb, n);
                gradOut.read(r0 * c, gb, n);
                for (int base = 0; base < n; base += c) {
                    for (int k = 0; k < c; k++) {
                        double xhat = (xb[base + k] - mean[k]) * invStd[k];
                        double z = xhat * gamma[k] + beta[k];
                        double g = gb[base + k];
                        double dz = g + am1[k] * g * negative(z);
                        daSum[k] += g * Math.min(z, 0.0);
                        dzSum[k] += dz;
                        dzxSum[k] += dz * xhat;
                    }
                }
            }
            sdz[task] = dzSum;
            sdzx[task] = dzxSum;
            sda[task] = daSum;
        });
        double[] meanDz = new double[c], meanDzx = new double[c], coef = new double[c];
        for (int k = 0; k < c; k++) {
            double p = 0, q = 0, d = 0;
            for (int t = 0; t < chunks; t++) {
                p += sdz[t][k];
                q += sdzx[t][k];
                d += sda[t][k];
            }
            gradBeta[k] = p;
            gradGamma[k] = q;
            if (gradAlpha != null) gradAlpha[k] = d;
            meanDz[k] = p / rows;
            meanDzx[k] = q / rows;
            coef[k] = gamma[k] * invStd[k];
        }
        parallel(rows, (task, from, to) -> {
            double[][] b = blocks(br * c);
            double[] xb = b[0], gb = b[1], ob = b[2];
            for (int r0 = from; r0 < to; r0 += br) {
                int n = Math.min(br, to - r0) * c;
                x.read(r0 * c, xb, n);
                gradOut.read(r0 * c, gb, n);
                for (int base = 0; base < n; base += c) {
                    for (int k = 0; k < c; k++) {
                        double xhat = (xb[base + k] - mean[k]) * invStd[k];
                        double z = xhat * gamma[k] + beta[k];
                        double g = gb[base + k];
                        double dz = g + am1[k] * g * negative(z);
                        ob[base + k] = coef[k] * (dz - meanDz[k] - xhat * meanDzx[k]);
                    }
                }
                gradX.write(r0 * c, ob, n);
            }
        });
    }
}
