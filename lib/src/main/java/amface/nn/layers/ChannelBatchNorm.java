package amface.nn.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a batch norm over the last axis: channels of NHWC activations, or features of dense
 * [batch, n] activations (the "BN" before and after the FC of the L-ResNet-E output block). Parameters:
 * {@code gamma}, {@code beta}, running {@code mean} and {@code var}.
 */
public class ChannelBatchNorm extends NormalizedLayerConf {

    public ChannelBatchNorm() {
        // for JSON
    }

    private ChannelBatchNorm(Builder b) {
        super(b);
        initializeConstraints(b);
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
            new ParamSpec("gamma", new long[] {nOut}, ParamSpec.Role.BIAS),
            new ParamSpec("beta", new long[] {nOut}, ParamSpec.Role.BIAS),
            new ParamSpec("mean", new long[] {nOut}, ParamSpec.Role.STATISTIC),
            new ParamSpec("var", new long[] {nOut}, ParamSpec.Role.STATISTIC));
    }

    @Override
    public void initialise(ParamSpec spec, INDArray view) {
        view.assign(spec.name().equals("gamma") || spec.name().equals("var") ? 1.0 : 0.0);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        ChannelBatchNormLayer layer = new ChannelBatchNormLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    private long channels(InputType inputType) {
        if (inputType instanceof InputType.InputTypeFeedForward f) return f.getSize();
        return requireNhwc(inputType).getChannels();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        channels(inputType);
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = channels(inputType);
            nOut = nIn;
        }
    }

    /** Builder: {@code new ChannelBatchNorm.Builder().build()} (channels are inferred from the input). */
    public static class Builder extends NormalizedLayerConf.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public ChannelBatchNorm build() {
            return new ChannelBatchNorm(this);
        }
    }
}
