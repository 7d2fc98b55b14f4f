package amface.nn.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norm over the last axis followed by an optional per-channel PReLU: statistics, forward and the fused
 * backward. On the CPU backend with dense arrays it runs {@link HostKernels}; otherwise (CUDA, or with the system
 * property {@code amface.nn.kernels=native}) it composes libnd4j ops ({@code moments}, {@code batchnorm},
 * {@code batchnorm_bp}, {@code prelu}), which have cuDNN/CUDA implementations.
 */
public final class BatchNormPrelu {
    private BatchNormPrelu() { }

    private static final boolean CPU =
        "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));

    /** True when the host loops will run for these arrays (tests use it to cover both paths). */
    public static boolean usesHostLoops(INDArray... arrays) {
        if (!CPU || "native".equals(System.getProperty("amface.nn.kernels"))) return false;
        for (INDArray a : arrays) {
            if (a != null && !HostBuffer.supports(a)) return false;
        }
        return true;
    }

    /** Threads of the host loops; libnd4j's own ops follow OMP_NUM_THREADS / Nd4j's environment. */
    public static void setHostThreads(int threads) {
        HostKernels.setThreads(threads);
    }

    private static int channels(INDArray x) {
        return (int) x.size(x.rank() - 1);
    }

    private static double[] d(INDArray v) {
        return v.toDoubleVector();
    }

    /** Per-channel mean and biased variance of x over every axis but the last, into mean and var ([C]). */
    public static void moments(INDArray x, INDArray mean, INDArray var) {
        if (usesHostLoops(x)) {
            int c = channels(x);
            double[] m = new double[c], v = new double[c];
            HostKernels.moments(HostBuffer.of(x), (int) (x.length() / c), c, m, v);
            mean.assign(Nd4j.createFromArray(m).castTo(mean.dataType()).reshape(mean.shape()));
            var.assign(Nd4j.createFromArray(v).castTo(var.dataType()).reshape(var.shape()));
        } else {
            NativeOps.moments(x, mean, var);
        }
    }

    /** out = prelu(gamma * (x - mean) / sqrt(var + eps) + beta); alpha null means no PReLU. */
    public static void forward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, INDArray alpha,
                               double eps, INDArray out) {
        if (usesHostLoops(x, out)) {
            int c = channels(x);
            double[] m = d(mean), v = d(var), g = d(gamma), b = d(beta);
            double[] scale = new double[c], shift = new double[c];
            for (int k = 0; k < c; k++) {
                scale[k] = g[k] / Math.sqrt(v[k] + eps);
                shift[k] = b[k] - m[k] * scale[k];
            }
            HostKernels.affinePrelu(HostBuffer.of(x), (int) (x.length() / c), c, scale, shift,
                alpha == null ? null : d(alpha), HostBuffer.of(out));
        } else {
            NativeOps.batchNorm(x, mean, var, gamma, beta, eps, out);
            if (alpha != null) {
                INDArray z = out.dup();
                NativeOps.prelu(z, alpha, out);
            }
        }
    }

    /**
     * Backward of {@link #forward} when mean and var are the batch statistics of x: writes gradX, gradGamma,
     * gradBeta and (with PReLU) gradAlpha.
     */
    public static void backward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, INDArray alpha,
                                double eps, INDArray gradOut, INDArray gradX, INDArray gradGamma, INDArray gradBeta,
                                INDArray gradAlpha) {
        if (usesHostLoops(x, gradOut, gradX)) {
            int c = channels(x);
            double[] m = d(mean), v = d(var), invStd = new double[c];
            for (int k = 0; k < c; k++) invStd[k] = 1 / Math.sqrt(v[k] + eps);
            double[] dg = new double[c], db = new double[c], da = alpha == null ? null : new double[c];
            HostKernels.batchNormPreluBackward(HostBuffer.of(x), (int) (x.length() / c), c, m, invStd, d(gamma), d(beta),
                alpha == null ? null : d(alpha), HostBuffer.of(gradOut), HostBuffer.of(gradX), dg, db, da);
            gradGamma.assign(Nd4j.createFromArray(dg).castTo(gradGamma.dataType()).reshape(gradGamma.shape()));
            gradBeta.assign(Nd4j.createFromArray(db).castTo(gradBeta.dataType()).reshape(gradBeta.shape()));
            if (alpha != null) {
                gradAlpha.assign(Nd4j.createFromArray(da).castTo(gradAlpha.dataType()).reshape(gradAlpha.shape()));
            }
        } else {
            INDArray dz = gradOut;
            if (alpha != null) {
                INDArray z = x.ulike();
                NativeOps.batchNorm(x, mean, var, gamma, beta, eps, z);
                dz = gradOut.ulike();
                NativeOps.preluBackpropComposed(z, alpha, gradOut, dz, gradAlpha);
            }
            NativeOps.batchNormBackprop(x, mean, var, gamma, beta, dz, eps, gradX, mean.ulike(), var.ulike(),
                gradGamma, gradBeta);
        }
    }
}
