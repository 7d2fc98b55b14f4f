package amface.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch-norm statistics, the batch-norm + PReLU forward and their fused backward as plain loops over host
 * memory, parallel over rows of C channels (NHWC, or [N, C] for dense input). This class holds each operation
 * once: the split into row chunks, the per-chunk sums folded per channel, and the per-channel arithmetic between
 * the passes, in double. The element loops come from one {@link Loops} per precision: {@link HostKernelsFloat}
 * (float32, what training and inference run, shaped so the JIT vectorises them) and {@link HostKernelsDouble}
 * (double, for the gradient checks, and for float arrays mixed with double ones).
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

    /** Work on rows [fromRow, toRow) of a [rows, c] array, as chunk number {@code task}. */
    interface RowRange {
        void run(int task, int fromRow, int toRow);
    }

    /** Adds per-channel sums over rows [fromRow, toRow) into {@code sums} (each [c], zero at first). */
    interface RowSums {
        void add(int fromRow, int toRow, double[][] sums);
    }

    /** Batch-norm + PReLU parameters per channel, with {@code am1} = alpha - 1 (zero without PReLU). */
    record Bn(double[] mean, double[] invStd, double[] gamma, double[] beta, double[] am1) { }

    /** The two passes of the backward over one call's arrays. */
    interface Backward {
        /** First pass: sum(dz), sum(dz * xhat) and sum(g * min(z, 0)) per channel, into sums[0..2]. */
        void sums(int fromRow, int toRow, double[][] sums);

        /** Second pass: gradX = coef * (dz - meanDz - xhat * meanDzx). */
        RowRange input(double[] coef, double[] meanDz, double[] meanDzx);
    }

    /**
     * One precision's element loops over one call's arrays ({@code [rows, c]} in memory); parameters arrive per
     * channel in double and each implementation converts them once per call.
     */
    interface Loops {
        RowSums moments(INDArray x, int c);

        /** out = prelu(x * scale + shift). */
        RowRange affinePrelu(INDArray x, int c, double[] scale, double[] shift, double[] am1, INDArray out);

        /** The backward of {@code out = prelu(gamma * (x - mean) * invStd + beta)}. */
        Backward backward(INDArray x, int c, Bn bn, INDArray gradOut, INDArray gradX);
    }

    /**
     * Rows per block of the element loops: about 8k elements (32 KB of floats, 64 KB of doubles per operand), so
     * every operand of a block stays in L1/L2.
     */
    static int blockRows(int c) {
        return Math.max(1, 8192 / c);
    }

    /** Float loops when every array is float32, else the double loops (which read and write either). */
    private static Loops loops(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT) return HostKernelsDouble.LOOPS;
        }
        return HostKernelsFloat.LOOPS;
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

    /**
     * Runs {@code body} over chunks of rows in parallel, each chunk into {@code k} sums of its own, and folds them
     * per channel in chunk order (so a given thread count always gives the same bits).
     */
    private static double[][] sums(int rows, int c, int k, RowSums body) {
        double[][][] partial = new double[rows == 0 ? 1 : Math.min(rows, pool.getParallelism() * 4)][][];
        int chunks = parallel(rows, (task, from, to) -> {
            double[][] s = new double[k][c];
            body.add(from, to, s);
            partial[task] = s;
        });
        double[][] total = new double[k][c];
        for (int j = 0; j < k; j++) {
            for (int ch = 0; ch < c; ch++) {
                double t = 0;
                for (int chunk = 0; chunk < chunks; chunk++) t += partial[chunk][j][ch];
                total[j][ch] = t;
            }
        }
        return total;
    }

    private static int rows(INDArray x, int c) {
        return (int) (x.length() / c);
    }

    private static double[] am1(double[] alpha, int c) {
        double[] am1 = new double[c];
        for (int k = 0; k < c; k++) am1[k] = alpha == null ? 0 : alpha[k] - 1;
        return am1;
    }

    /** Per-channel mean and biased variance of x ([rows, c] in memory). */
    static void moments(INDArray x, int c, double[] mean, double[] var) {
        int rows = rows(x, c);
        double[][] s = sums(rows, c, 2, loops(x).moments(x, c));
        for (int k = 0; k < c; k++) {
            mean[k] = s[0][k] / rows;
            var[k] = Math.max(0, s[1][k] / rows - mean[k] * mean[k]);
        }
    }

    /** out = prelu(x * scale + shift) per channel; alpha null means no PReLU; out may be x. */
    static void affinePrelu(INDArray x, int c, double[] scale, double[] shift, double[] alpha, INDArray out) {
        parallel(rows(x, c), loops(x, out).affinePrelu(x, c, scale, shift, am1(alpha, c), out));
    }

    /**
     * Backward of {@code out = prelu(gamma * (x - mean) * invStd + beta)} with batch statistics mean/invStd of x.
     * Writes gradX and fills gradGamma, gradBeta, gradAlpha (gradAlpha only when alpha is not null).
     */
    static void batchNormPreluBackward(INDArray x, int c, double[] mean, double[] invStd, double[] gamma,
                                       double[] beta, double[] alpha, INDArray gradOut, INDArray gradX,
                                       double[] gradGamma, double[] gradBeta, double[] gradAlpha) {
        int rows = rows(x, c);
        Backward pass = loops(x, gradOut, gradX).backward(x, c, new Bn(mean, invStd, gamma, beta, am1(alpha, c)),
            gradOut, gradX);
        double[][] s = sums(rows, c, 3, pass::sums);
        double[] meanDz = new double[c], meanDzx = new double[c], coef = new double[c];
        for (int k = 0; k < c; k++) {
            gradBeta[k] = s[0][k];
            gradGamma[k] = s[1][k];
            if (gradAlpha != null) gradAlpha[k] = s[2][k];
            meanDz[k] = s[0][k] / rows;
            meanDzx[k] = s[1][k] / rows;
            coef[k] = gamma[k] * invStd[k];
        }
        parallel(rows, pass.input(coef, meanDz, meanDzx));
    }
}
