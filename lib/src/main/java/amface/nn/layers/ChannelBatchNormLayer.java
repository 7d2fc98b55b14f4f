package amface.nn.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link ChannelBatchNorm}: the same statistics and kernels as {@link ConvBnPreluLayer}, no PReLU
 * (oneDNN's batch norm for NHWC float input on the CPU, the Java loops or composed native ops otherwise).
 */
public class ChannelBatchNormLayer extends NormalizedLayer<ChannelBatchNorm> {
    private INDArray normInput;
    /** oneDNN batch norm for NHWC float input on the CPU, created on first use. */
    private OneDnnBatchNormPrelu oneDnn;

    public ChannelBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public void clear() {
        super.clear();
        normInput = null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        long c = layerConf().getNOut();
        if ((input.rank() != 2 && input.rank() != 4) || input.size(input.rank() - 1) != c) {
            throw new IllegalArgumentException("layer " + name() + ": expected [batch, " + c + "] or NHWC [batch, h, w, "
                + c + "] input, got shape " + Arrays.toString(input.shape()));
        }
        INDArray x = dense(input, ArrayType.INPUT, mgr);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        double eps = layerConf().getBnEpsilon();
        if (x.rank() == 4 && OneDnn.usable(x, out, params())) {
            if (training) {
                INDArray mean = mgr.create(ArrayType.INPUT, x.dataType(), c), var = mgr.create(ArrayType.INPUT, x.dataType(), c);
                oneDnn().forward(x, getParam("gamma"), getParam("beta"), null, eps, out, mean, var);
                useBatchStatistics(mean, var, x.length() / c);
            } else {
                oneDnn().forwardWithStatistics(x, getParam("mean"), getParam("var"), getParam("gamma"), getParam("beta"), eps, out);
            }
        } else {
            INDArray[] stats = statistics(x, training, mgr);
            BatchNormPrelu.forward(x, stats[0], stats[1], getParam("gamma"), getParam("beta"), null, eps, out);
        }
        if (training) normInput = x;
        return out;
    }

    private OneDnnBatchNormPrelu oneDnn() {
        if (oneDnn == null) oneDnn = new OneDnnBatchNormPrelu();
        return oneDnn;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        requireTrainingForward();
        INDArray eps = dense(epsilon, ArrayType.BP_WORKING_MEM, mgr);
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, normInput.dataType(), normInput.shape(), 'c');
        if (normInput.rank() == 4 && OneDnn.usable(normInput, eps, gradIn, params(), gradientsFlattened)) {
            oneDnn().backward(normInput, batchMean, batchVar, getParam("gamma"), getParam("beta"), null,
                layerConf().getBnEpsilon(), eps, gradIn, gradientViews.get("gamma"), gradientViews.get("beta"), null, null, null);
        } else {
            BatchNormPrelu.backward(normInput, batchMean, batchVar, getParam("gamma"), getParam("beta"), null,
                layerConf().getBnEpsilon(), eps, gradIn, gradientViews.get("gamma"), gradientViews.get("beta"), null);
        }
        return new Pair<>(gradient(mgr), backpropDropOutIfPresent(gradIn));
    }
}
