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

    public static int hostThreads() {
        return HostKernels.threads();
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
            HostKernels.moments(x, c, m, v);
            mean.assign(Nd4j.createFromArray(m).castTo(mean.dataType()).reshape(mean.shape()));
            var.assign(Nd4j.createFromArray(v).castTo(var.dataType()).reshape(var.shape()));
        } else {
            NativeOps.moments(x, mean, var);
        }
    }

    /** out = prelu(gamma * (x - mean) / sqrt(var + eps) + beta); alpha null means no PReLU; out may be x. */
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
            HostKernels.affinePrelu(x, c, scale, shift, alpha == null ? null : d(alpha), out);
        } else {
            INDArray z = x == out ? x.dup() : x;
            NativeOps.batchNorm(z, mean, var, gamma, beta, eps, out);
            if (alpha != null) {
                z = out.dup();
                NativeOps.prelu(z, alpha, out);
            }
        }
    }

    /** In place: {@code x = x > 0 ? x : alpha * x}, alpha per channel (the last axis). */
    public static void prelu(INDArray x, INDArray alpha) {
        if (usesHostLoops(x) && x.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            int c = channels(x);
            double[] one = new double[c], zero = new double[c];
            java.util.Arrays.fill(one, 1.0);
            HostKernels.affinePrelu(x, c, one, zero, d(alpha), x);
        } else {
            NativeOps.prelu(x.dup(), alpha, x);
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
            HostKernels.batchNormPreluBackward(x, c, m, invStd, d(gamma), d(beta), alpha == null ? null : d(alpha),
                gradOut, gradX, dg, db, da);
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
            batchNormBackwardComposed(x, mean, var, gamma, eps, dz, gradX, gradGamma, gradBeta);
        }
    }

    /**
     * Batch-norm backward from element-wise, broadcast and reduction ops (any backend). Not libnd4j's
     * {@code batchnorm_bp}: in M2.1 its input gradient differs from finite differences by ~1e-4 relative.
     * {@code dx = gamma * invStd * (dz - mean(dz) - xhat * mean(dz * xhat))}.
     */
    static void batchNormBackwardComposed(INDArray x, INDArray mean, INDArray var, INDArray gamma, double eps,
                                          INDArray dz, INDArray gradX, INDArray gradGamma, INDArray gradBeta) {
        long c = mean.length();
        long rows = x.length() / c;
        INDArray x2 = x.reshape(rows, c), dz2 = dz.reshape(rows, c);
        INDArray invStd = org.nd4j.linalg.ops.transforms.Transforms.pow(var.reshape(1, c).add(eps), -0.5, false);
        INDArray xhat = x2.subRowVector(mean.reshape(1, c)).muliRowVector(invStd);
        INDArray dBeta = dz2.sum(0).reshape(1, c);
        INDArray dGamma = dz2.mul(xhat).sum(0).reshape(1, c);
        gradBeta.assign(dBeta.reshape(gradBeta.shape()));
        gradGamma.assign(dGamma.reshape(gradGamma.shape()));
        INDArray dx = xhat.muliRowVector(dGamma.div(rows)).rsubi(dz2).subiRowVector(dBeta.div(rows))
            .muliRowVector(gamma.reshape(1, c).mul(invStd));
        gradX.assign(dx.reshape(gradX.shape()));
    }
}
