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
 * Runtime of {@link ConvBnPrelu}: libnd4j {@code conv2d} (oneDNN / cuDNN) into the pre-norm buffer, then batch
 * norm + PReLU in one pass; backward is the fused BN+PReLU backward and one {@code conv2d_bp}. The pre-norm
 * buffer is the only activation kept for backprop (the BN output is recomputed on the fly).
 */
public class ConvBnPreluLayer extends NormalizedLayer<ConvBnPrelu> {
    private INDArray convInput;
    private INDArray preNorm;

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
        INDArray y = mgr.createUninitialized(training ? ArrayType.INPUT : ArrayType.FF_WORKING_MEM, x.dataType(), outShape, 'c');
        NativeOps.conv2d(x, getParam("W"), null, y, c.getKernel(), c.getStride(), c.getPadding());
        INDArray[] stats = statistics(y, training, mgr);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), outShape, 'c');
        BatchNormPrelu.forward(y, stats[0], stats[1], getParam("gamma"), getParam("beta"),
            c.isPrelu() ? getParam("alpha") : null, c.getBnEpsilon(), out);
        if (training) {
            convInput = x;
            preNorm = y;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        requireTrainingForward();
        ConvBnPrelu c = layerConf();
        INDArray eps = dense(epsilon, ArrayType.BP_WORKING_MEM, mgr);
        INDArray gradPreNorm = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, preNorm.dataType(), preNorm.shape(), 'c');
        BatchNormPrelu.backward(preNorm, batchMean, batchVar, getParam("gamma"), getParam("beta"),
            c.isPrelu() ? getParam("alpha") : null, c.getBnEpsilon(), eps, gradPreNorm,
            gradientViews.get("gamma"), gradientViews.get("beta"), c.isPrelu() ? gradientViews.get("alpha") : null);
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, convInput.dataType(), convInput.shape(), 'c');
        NativeOps.conv2dBackprop(convInput, getParam("W"), null, gradPreNorm, gradIn, gradientViews.get("W"), null,
            c.getKernel(), c.getStride(), c.getPadding());
        Gradient g = gradient(mgr);
        return new Pair<>(g, backpropDropOutIfPresent(gradIn));
    }
}
