package amface.nn.layers;

import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Common configuration of the amface layers that end in a batch norm: BN epsilon and running-average decay
 * (the reference uses 1e-3 and 0.995), parameter layout, and the DL4J plumbing (updater/regularisation per
 * parameter role, NHWC input checks).
 */
public abstract class NormalizedLayerConf extends FeedForwardLayer implements ParamLayout {
    protected double bnEpsilon = 1e-3;
    protected double bnDecay = 0.995;

    protected NormalizedLayerConf() {
        // for JSON
    }

    protected NormalizedLayerConf(Builder<?> b) {
        super(b);
        this.bnEpsilon = b.bnEpsilon;
        this.bnDecay = b.bnDecay;
    }

    public double getBnEpsilon() {
        return bnEpsilon;
    }

    public double getBnDecay() {
        return bnDecay;
    }

    /** Sets the running-average decay; 1 keeps the running statistics as they are (a frozen layer's). */
    public void setBnDecay(double decay) {
        if (!(decay >= 0 && decay <= 1)) throw new IllegalArgumentException("batch-norm decay must be in [0, 1]: " + decay);
        this.bnDecay = decay;
    }

    /** The runtime layer of this configuration, not yet wired to its parameters. */
    protected abstract NormalizedLayer<?> createLayer(NeuralNetConfiguration conf, DataType networkDataType);

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        NormalizedLayer<?> layer = createLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return LayoutParamInitializer.INSTANCE;
    }

    private ParamSpec spec(String name) {
        return params().stream().filter(p -> p.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("layer '" + layerName + "' has no parameter " + name));
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        // running statistics are written by the forward pass; their "gradient" is always zero
        return spec(paramName).role() == ParamSpec.Role.STATISTIC ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (spec(paramName).role()) {
            case WEIGHT -> regularization == null ? List.of() : regularization;
            case BIAS -> regularizationBias == null ? List.of() : regularizationBias;
            case STATISTIC -> List.of();
        };
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    /** The NHWC convolutional input this layer needs, or a clear error naming the layer and what it got. */
    protected InputType.InputTypeConvolutional requireNhwc(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c && c.getFormat() == CNN2DFormat.NHWC) return c;
        throw new IllegalArgumentException("layer '" + layerName + "' needs NHWC convolutional input, got " + inputType);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
            .standardMemory(params, params)
            .workingMemory(0, 0, 2 * out.arrayElementsPerExample(), 2 * out.arrayElementsPerExample())
            .cacheMemory(0, 0).build();
    }

    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {
        protected double bnEpsilon = 1e-3;
        protected double bnDecay = 0.995;

        /** Batch-norm epsilon added to the variance (reference: 1e-3). */
        @SuppressWarnings("unchecked")
        public T bnEpsilon(double eps) {
            this.bnEpsilon = eps;
            return (T) this;
        }

        /** Running-average decay of the batch-norm statistics (reference: 0.995). */
        @SuppressWarnings("unchecked")
        public T bnDecay(double decay) {
            this.bnDecay = decay;
            return (T) this;
        }
    }
}
