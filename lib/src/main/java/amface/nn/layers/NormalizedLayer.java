package amface.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared runtime of the amface layers ending in batch norm: batch statistics (kept for the backward pass in the
 * INPUT workspace, as DL4J's own BatchNormalization keeps its state), running-average updates, NaN/Inf checks.
 */
abstract class NormalizedLayer<C extends NormalizedLayerConf> extends BaseLayer<C> {
    /** Statistics used by the last training forward pass: [C] each. */
    protected INDArray batchMean;
    protected INDArray batchVar;

    NormalizedLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        batchMean = null;
        batchVar = null;
    }

    protected String name() {
        return layerConf().getLayerName() == null ? "#" + getIndex() : "'" + layerConf().getLayerName() + "'";
    }

    /** Dense c-order, in the parameters' data type: what the native ops and host loops expect. */
    protected INDArray dense(INDArray a, ArrayType type, LayerWorkspaceMgr mgr) {
        INDArray p = params().dataType() == a.dataType() ? a : a.castTo(params().dataType());
        if (p.ordering() == 'c' && (p.length() <= 1 || p.elementWiseStride() == 1)) return p;
        return mgr.dup(type, p, 'c');
    }

    /**
     * Mean and variance for normalising {@code y}: the batch's in training (then the running averages are
     * updated and the batch statistics kept for backprop), the running averages otherwise.
     */
    protected INDArray[] statistics(INDArray y, boolean training, LayerWorkspaceMgr mgr) {
        if (!training) return new INDArray[] {getParam("mean"), getParam("var")};
        long c = y.size(y.rank() - 1);
        INDArray mean = mgr.create(ArrayType.INPUT, y.dataType(), c);
        INDArray var = mgr.create(ArrayType.INPUT, y.dataType(), c);
        BatchNormPrelu.moments(y, mean, var);
        useBatchStatistics(mean, var, y.length() / c);
        return new INDArray[] {mean, var};
    }

    /**
     * Takes a training batch's statistics (biased variance over {@code count} values per channel): checks them
     * for NaN/Inf, updates the running averages and keeps them for backprop.
     */
    protected void useBatchStatistics(INDArray mean, INDArray var, long count) {
        double check = mean.sumNumber().doubleValue() + var.sumNumber().doubleValue();
        if (!Double.isFinite(check)) {
            throw new NonFiniteException("layer " + name() + ": NaN or Inf in its activations during training"
                + " (the input batch or the weights hold NaN/Inf, or training diverged: lower the learning rate)");
        }
        double decay = layerConf().getBnDecay();
        double unbiased = count > 1 ? (double) count / (count - 1) : 1.0;
        getParam("mean").muli(decay).addi(mean.mul(1 - decay));
        getParam("var").muli(decay).addi(var.mul((1 - decay) * unbiased));
        batchMean = mean;
        batchVar = var;
    }

    /** The gradient object over this layer's views, with zero gradients for the running statistics. */
    protected Gradient gradient(LayerWorkspaceMgr mgr) {
        gradientViews.get("mean").assign(0);
        gradientViews.get("var").assign(0);
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : conf.getLayer().initializer().paramKeys(conf.getLayer())) {
            g.setGradientFor(key, gradientViews.get(key));
        }
        return g;
    }

    protected void requireTrainingForward() {
        if (batchMean == null) {
            throw new IllegalStateException("layer " + name() + ": backprop needs a training-mode forward pass first");
        }
    }
}
