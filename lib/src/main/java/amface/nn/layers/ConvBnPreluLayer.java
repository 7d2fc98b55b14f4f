package amface.nn.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link ConvBnPrelu}: the convolution into the pre-norm buffer, then batch norm + PReLU in one pass;
 * backward is the fused BN+PReLU backward and the convolution's backward. The convolution runs oneDNN directly
 * ({@link OneDnnConvolution}: cached primitives, Winograd where faster) on the CPU backend in float32, and
 * libnd4j's {@code conv2d}/{@code conv2d_bp} (cuDNN on CUDA) otherwise; training convolutions run in bf16 while
 * {@link MixedPrecision} says so (batch norm, PReLU and their gradients stay fp32). The pre-norm
 * buffer is the only activation kept for backprop (the BN output is recomputed on the fly).
 */
public class ConvBnPreluLayer extends NormalizedLayer<ConvBnPrelu> {
    private INDArray convInput;
    private INDArray preNorm;
    /** oneDNN primitives of this layer (CPU, float32), created on first use. */
    private OneDnnConvolution oneDnn;
    private OneDnnPrelu oneDnnPrelu;
    private OneDnnBatchNormPrelu oneDnnNorm;
    /** Inference bias with the batch norm folded in, and the parameter fingerprint it was made from. */
    private INDArray foldedBias;
    private long foldedFrom;

    public ConvBnPreluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public void clear() {
        super.clear();
        convInput = null;
        preNorm = null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        ConvBnPrelu c = layerConf();
        if (input.rank() != 4 || input.size(3) != c.getNIn()) {
            throw new IllegalArgumentException("layer " + name() + ": expected NHWC input [batch, height, width, "
                + c.getNIn() + "], got shape " + Arrays.toString(input.shape()));
        }
        INDArray x = dense(input, ArrayType.INPUT, mgr);
        long[] outShape = {x.size(0), c.outputSize(x.size(1)), c.outputSize(x.size(2)), c.getNOut()};
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), outShape, 'c');
        if (!training && OneDnn.usable(x, getParam("W"), out, params())) {
            inferFolded(x, out);
            return out;
        }
        // training keeps the pre-norm conv output for backprop; inference normalises the conv output in place
        INDArray y = training ? mgr.createUninitialized(ArrayType.INPUT, x.dataType(), outShape, 'c') : out;
        INDArray w = getParam("W");
        long t0 = StepProfile.start();
        if (OneDnn.usable(x, w, y)) {
            oneDnn().forward(x, w, null, y, training, training && MixedPrecision.bf16());
        } else {
            NativeOps.conv2d(x, w, null, y, c.getKernel(), c.getStride(), c.getPadding());
        }
        StepProfile.stop(StepProfile.CONV_FWD, t0);
        long t1 = StepProfile.start();
        INDArray alpha = c.isPrelu() ? getParam("alpha") : null;
        if (training && OneDnn.usable(y, out, params())) {
            long channels = c.getNOut();
            INDArray mean = mgr.create(ArrayType.INPUT, y.dataType(), channels);
            INDArray var = mgr.create(ArrayType.INPUT, y.dataType(), channels);
            oneDnnNorm().forward(y, getParam("gamma"), getParam("beta"), alpha, c.getBnEpsilon(), out, mean, var);
            useBatchStatistics(mean, var, y.length() / channels);
        } else {
            INDArray[] stats = statistics(y, training, mgr);
            BatchNormPrelu.forward(y, stats[0], stats[1], getParam("gamma"), getParam("beta"), alpha, c.getBnEpsilon(), out);
        }
        StepProfile.stop(StepProfile.NORM_FWD, t1);
        if (training) {
            convInput = x;
            preNorm = y;
        }
        return out;
    }

    /**
     * Inference through oneDNN with the batch norm folded into the convolution (weights scaled per output channel,
     * bias {@code beta - mean * scale}), then oneDNN's PReLU in place: two passes over the output. The folded
     * weights are computed only when the parameters change, and only the convolution's reordered copy is kept.
     */
    private void inferFolded(INDArray x, INDArray out) {
        ConvBnPrelu c = layerConf();
        long fingerprint = ParamFingerprint.of(params());
        if (foldedBias == null || fingerprint != foldedFrom) {
            double[] scale = foldScale();
            double[] beta = getParam("beta").toDoubleVector(), mean = getParam("mean").toDoubleVector();
            float[] bias = new float[scale.length];
            for (int k = 0; k < bias.length; k++) bias[k] = (float) (beta[k] - mean[k] * scale[k]);
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                foldedBias = Nd4j.createFromArray(bias);
            }
            foldedFrom = fingerprint;
        }
        INDArray alpha = c.isPrelu() ? getParam("alpha") : null;
        oneDnn().forwardInference(x, this::foldedWeights, foldedFrom, foldedBias, out);
        if (alpha != null) {
            if (oneDnnPrelu == null) oneDnnPrelu = new OneDnnPrelu();
            oneDnnPrelu.forwardInPlace(out, alpha);
        }
    }

    /** gamma / sqrt(var + eps) per output channel. */
    private double[] foldScale() {
        double[] gamma = getParam("gamma").toDoubleVector(), var = getParam("var").toDoubleVector();
        double[] scale = new double[gamma.length];
        for (int k = 0; k < gamma.length; k++) scale[k] = gamma[k] / Math.sqrt(var[k] + layerConf().getBnEpsilon());
        return scale;
    }

    /** The weights scaled per output channel by {@link #foldScale()}, outside any workspace. */
    private INDArray foldedWeights() {
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray w = getParam("W");
            INDArray scale = Nd4j.createFromArray(foldScale()).castTo(w.dataType()).reshape(w.size(0), 1);
            return w.reshape('c', w.size(0), w.length() / w.size(0)).mulColumnVector(scale).reshape('c', w.shape());
        }
    }

    private OneDnnBatchNormPrelu oneDnnNorm() {
        if (oneDnnNorm == null) oneDnnNorm = new OneDnnBatchNormPrelu();
        return oneDnnNorm;
    }

    private OneDnnConvolution oneDnn() {
        if (oneDnn == null) {
            ConvBnPrelu c = layerConf();
            oneDnn = new OneDnnConvolution(c.getKernel(), c.getStride(), c.getPadding());
        }
        return oneDnn;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        requireTrainingForward();
        ConvBnPrelu c = layerConf();
        INDArray eps = dense(epsilon, ArrayType.BP_WORKING_MEM, mgr);
        INDArray gradPreNorm = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, preNorm.dataType(), preNorm.shape(), 'c');
        INDArray alpha = c.isPrelu() ? getParam("alpha") : null;
        INDArray gradAlpha = c.isPrelu() ? gradientViews.get("alpha") : null;
        long t0 = StepProfile.start();
        if (OneDnn.usable(preNorm, eps, gradPreNorm, params(), gradientsFlattened)) {
            INDArray z = alpha == null ? null : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, preNorm.dataType(), preNorm.shape(), 'c');
            INDArray dz = alpha == null ? null : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, preNorm.dataType(), preNorm.shape(), 'c');
            oneDnnNorm().backward(preNorm, batchMean, batchVar, getParam("gamma"), getParam("beta"), alpha, c.getBnEpsilon(),
                eps, gradPreNorm, gradientViews.get("gamma"), gradientViews.get("beta"), gradAlpha, z, dz);
        } else {
            BatchNormPrelu.backward(preNorm, batchMean, batchVar, getParam("gamma"), getParam("beta"), alpha,
                c.getBnEpsilon(), eps, gradPreNorm, gradientViews.get("gamma"), gradientViews.get("beta"), gradAlpha);
        }
        StepProfile.stop(StepProfile.NORM_BWD, t0);
        long t1 = StepProfile.start();
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, convInput.dataType(), convInput.shape(), 'c');
        INDArray w = getParam("W"), gradW = gradientViews.get("W");
        if (OneDnn.usable(convInput, w, gradPreNorm, gradIn, gradW)) {
            oneDnn().backward(convInput, w, gradPreNorm, gradIn, gradW, MixedPrecision.bf16());
        } else {
            NativeOps.conv2dBackprop(convInput, w, null, gradPreNorm, gradIn, gradW, null,
                c.getKernel(), c.getStride(), c.getPadding());
        }
        StepProfile.stop(StepProfile.CONV_BWD, t1);
        Gradient g = gradient(mgr);
        return new Pair<>(g, backpropDropOutIfPresent(gradIn));
    }
}
