package amface.nn.layers;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
    protected ChannelBatchNormLayer createLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new ChannelBatchNormLayer(conf, networkDataType);
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
