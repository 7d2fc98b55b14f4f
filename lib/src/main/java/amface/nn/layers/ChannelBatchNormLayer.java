package amface.nn.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link ChannelBatchNorm}: the same statistics and fused kernels as {@link ConvBnPreluLayer}, no PReLU. */
public class ChannelBatchNormLayer extends NormalizedLayer<ChannelBatchNorm> {
    private INDArray normInput;

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
        INDArray[] stats = statistics(x, training, mgr);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        BatchNormPrelu.forward(x, stats[0], stats[1], getParam("gamma"), getParam("beta"), null,
            layerConf().getBnEpsilon(), out);
        if (training) normInput = x;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        requireTrainingForward();
        INDArray eps = dense(epsilon, ArrayType.BP_WORKING_MEM, mgr);
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, normInput.dataType(), normInput.shape(), 'c');
        BatchNormPrelu.backward(normInput, batchMean, batchVar, getParam("gamma"), getParam("beta"), null,
            layerConf().getBnEpsilon(), eps, gradIn, gradientViews.get("gamma"), gradientViews.get("beta"), null);
        return new Pair<>(gradient(mgr), backpropDropOutIfPresent(gradIn));
    }
}
