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

    /** Splits rows into a few chunks per thread and runs them; returns the number of chunks. */
    private static int parallel(int rows, RowRange body) {
        int chunks = Math.max(1, Math.min(rows, pool.getParallelism() * 4));
        if (chunks == 1 || rows * 1L < 64) {
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
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return chunks;
    }

    /** Per-channel mean and biased variance of x ([rows, c] in memory). */
    static void moments(HostBuffer x, int rows, int c, double[] mean, double[] var) {
        double[][] s = new double[rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4)][];
        double[][] q = new double[s.length][];
        int chunks = parallel(rows, (task, from, to) -> {
            double[] sum = new double[c], sq = new double[c];
            for (int r = from; r < to; r++) {
                int base = r * c;
                for (int k = 0; k < c; k++) {
                    double v = x.get(base + k);
                    sum[k] += v;
                    sq[k] += v * v;
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
        parallel(rows, (task, from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * c;
                for (int k = 0; k < c; k++) {
                    double z = x.get(base + k) * scale[k] + shift[k];
                    out.put(base + k, alpha == null || z > 0 ? z : alpha[k] * z);
                }
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
        int chunks = parallel(rows, (task, from, to) -> {
            double[] dzSum = new double[c], dzxSum = new double[c], daSum = new double[c];
            for (int r = from; r < to; r++) {
                int base = r * c;
                for (int k = 0; k < c; k++) {
                    double xhat = (x.get(base + k) - mean[k]) * invStd[k];
                    double z = xhat * gamma[k] + beta[k];
                    double g = gradOut.get(base + k);
                    double dz = g;
                    if (alpha != null && z <= 0) {
                        dz = alpha[k] * g;
                        daSum[k] += g * z;
                    }
                    dzSum[k] += dz;
                    dzxSum[k] += dz * xhat;
                }
            }
            sdz[task] = dzSum;
            sdzx[task] = dzxSum;
            sda[task] = daSum;
        });
        double[] meanDz = new double[c], meanDzx = new double[c], coef = new double[c];
        for (int k = 0; k < c; k++) {
            double a = 0, b = 0, d = 0;
            for (int t = 0; t < chunks; t++) {
                a += sdz[t][k];
                b += sdzx[t][k];
                d += sda[t][k];
            }
            gradBeta[k] = a;
            gradGamma[k] = b;
            if (gradAlpha != null) gradAlpha[k] = d;
            meanDz[k] = a / rows;
            meanDzx[k] = b / rows;
            coef[k] = gamma[k] * invStd[k];
        }
        parallel(rows, (task, from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * c;
                for (int k = 0; k < c; k++) {
                    double xhat = (x.get(base + k) - mean[k]) * invStd[k];
                    double z = xhat * gamma[k] + beta[k];
                    double g = gradOut.get(base + k);
                    double dz = alpha != null && z <= 0 ? alpha[k] * g : g;
                    gradX.put(base + k, coef[k] * (dz - meanDz[k] - xhat * meanDzx[k]));
                }
            }
        });
    }
}
