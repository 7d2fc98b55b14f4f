package amface.nn.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Thin calls into libnd4j's native ops for the NHWC layers. Each op runs oneDNN on the CPU backend and cuDNN
 * (or libnd4j's CUDA kernels) on the GPU backend; the Java side only passes arrays and integer arguments, so
 * no per-element work happens in Java.
 *
 * <p>Weights are in {@code [outChannels, inChannels, kH, kW]} (libnd4j weight format 1, the PyTorch order).
 */
public final class NativeOps {
    private NativeOps() { }

    /** libnd4j weight format: 1 = [oC, iC, kH, kW]. */
    static final int WEIGHTS_OIHW = 1;
    /** libnd4j data format flag: 1 = NHWC. */
    static final int DATA_NHWC = 1;

    private static int[] convArgs(int kernel, int stride, int pad) {
        // kH, kW, sH, sW, pH, pW, dH, dW, sameMode(0 = explicit padding), dataFormat, weightsFormat
        return new int[] {kernel, kernel, stride, stride, pad, pad, 1, 1, 0, DATA_NHWC, WEIGHTS_OIHW};
    }

    /** {@code out = conv2d(x, w)} with explicit symmetric padding; x and out are NHWC. Bias may be null. */
    public static void conv2d(INDArray x, INDArray w, INDArray bias, INDArray out, int kernel, int stride, int pad) {
        INDArray[] in = bias == null ? new INDArray[] {x, w} : new INDArray[] {x, w, bias};
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in).addOutputs(out)
            .addIntegerArguments(convArgs(kernel, stride, pad)).build());
    }

    /** Backward of {@link #conv2d}: writes gradX, gradW and (when there is a bias) gradB. */
    public static void conv2dBackprop(INDArray x, INDArray w, INDArray bias, INDArray gradOut,
                                      INDArray gradX, INDArray gradW, INDArray gradB, int kernel, int stride, int pad) {
        INDArray[] in = bias == null ? new INDArray[] {x, w, gradOut} : new INDArray[] {x, w, bias, gradOut};
        INDArray[] out = bias == null ? new INDArray[] {gradX, gradW} : new INDArray[] {gradX, gradW, gradB};
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in).addOutputs(out)
            .addIntegerArguments(convArgs(kernel, stride, pad)).build());
    }

    /** Per-channel mean and (biased) variance over every axis but the last. */
    public static void moments(INDArray x, INDArray mean, INDArray var) {
        int[] axes = new int[x.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x).addOutputs(mean, var)
            .addIntegerArguments(axes).addBooleanArguments(false).build());
    }

    /** {@code out = gamma * (x - mean) / sqrt(var + eps) + beta} over the last axis. */
    public static void batchNorm(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
                                 double eps, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta).addOutputs(out)
            .addFloatingPointArguments(eps).addIntegerArguments(1, 1, x.rank() - 1).build());
    }

    /** Backward of {@link #batchNorm} where mean and var are the batch statistics of x. */
    public static void batchNormBackprop(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
                                         INDArray gradOut, double eps, INDArray gradX, INDArray gradMean,
                                         INDArray gradVar, INDArray gradGamma, INDArray gradBeta) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(x, mean, var, gamma, beta, gradOut)
            .addOutputs(gradX, gradMean, gradVar, gradGamma, gradBeta)
            .addFloatingPointArguments(eps).addIntegerArguments(1, 1, x.rank() - 1).build());
    }

    /** {@code out = x > 0 ? x : alpha * x}, alpha per channel (last axis). */
    public static void prelu(INDArray x, INDArray alpha, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("prelu").addInputs(x, alpha).addOutputs(out)
            .addIntegerArguments(sharedAxes(x.rank())).build());
    }

    /**
     * PReLU backward composed of native element-wise and broadcast ops (several passes): libnd4j's own
     * {@code prelu_bp} rejects inputs longer than 64 times alpha in M2.1.
     */
    static void preluBackpropComposed(INDArray x, INDArray alpha, INDArray gradOut, INDArray gradX, INDArray gradAlpha) {
        long c = alpha.length();
        INDArray x2 = x.reshape(x.length() / c, c);
        INDArray g2 = gradOut.reshape(x.length() / c, c);
        // slope = alpha + (1 - alpha) * step(x): 1 where x > 0, alpha elsewhere
        INDArray slope = org.nd4j.linalg.ops.transforms.Transforms.step(x2, true);
        slope.muliRowVector(alpha.rsub(1.0).reshape(1, c)).addiRowVector(alpha.reshape(1, c));
        gradX.reshape(x.length() / c, c).assign(slope.muli(g2));
        INDArray negative = org.nd4j.linalg.ops.transforms.Transforms.min(x2, 0.0, true);
        gradAlpha.assign(negative.muli(g2).sum(0).reshape(gradAlpha.shape()));
    }

    private static int[] sharedAxes(int rank) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        return axes;
    }
}
