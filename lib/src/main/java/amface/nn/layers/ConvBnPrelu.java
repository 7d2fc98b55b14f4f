package amface.nn.layers;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a fused square convolution (no bias) + batch norm + optional per-channel PReLU on NHWC
 * activations: the building block of ResFace and L-ResNet-IR. Padding is {@code kernel / 2}, so a stride-1 conv
 * keeps the spatial size and a stride-2 conv halves it (rounding up), as TensorFlow's SAME padding does for 3x3.
 *
 * <p>Parameters: {@code W} [out, in, k, k] (Xavier by default, the reference init), {@code gamma}, {@code beta},
 * {@code alpha} (PReLU only, initially 0.25), and the running {@code mean} and {@code var}.
 */
public class ConvBnPrelu extends NormalizedLayerConf {
    private int kernel = 3;
    private int stride = 1;
    private boolean prelu = true;
    private double alphaInit = 0.25;

    public ConvBnPrelu() {
        // for JSON
    }

    private ConvBnPrelu(Builder b) {
        super(b);
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.prelu = b.prelu;
        this.alphaInit = b.alphaInit;
        initializeConstraints(b);
    }

    public int getKernel() {
        return kernel;
    }

    public int getStride() {
        return stride;
    }

    public int getPadding() {
        return kernel / 2;
    }

    public boolean isPrelu() {
        return prelu;
    }

    /** Output size along one spatial axis. */
    public long outputSize(long in) {
        return (in + 2L * getPadding() - kernel) / stride + 1;
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>();
        p.add(new ParamSpec("W", new long[] {nOut, nIn, kernel, kernel}, ParamSpec.Role.WEIGHT));
        p.add(new ParamSpec("gamma", new long[] {nOut}, ParamSpec.Role.BIAS));
        p.add(new ParamSpec("beta", new long[] {nOut}, ParamSpec.Role.BIAS));
        if (prelu) p.add(new ParamSpec("alpha", new long[] {nOut}, ParamSpec.Role.BIAS));
        p.add(new ParamSpec("mean", new long[] {nOut}, ParamSpec.Role.STATISTIC));
        p.add(new ParamSpec("var", new long[] {nOut}, ParamSpec.Role.STATISTIC));
        return p;
    }

    @Override
    public void initialise(ParamSpec spec, INDArray view) {
        switch (spec.name()) {
            case "W" -> weightInitFn.init(nIn * kernel * kernel, nOut * kernel * kernel, spec.shape(), 'c', view);
            case "gamma", "var" -> view.assign(1.0);
            case "alpha" -> view.assign(alphaInit);
            default -> view.assign(0.0);
        }
    }

    @Override
    protected ConvBnPreluLayer createLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new ConvBnPreluLayer(conf, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = requireNhwc(inputType);
        return InputType.convolutional(outputSize(in.getHeight()), outputSize(in.getWidth()), nOut, CNN2DFormat.NHWC);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional in = requireNhwc(inputType);
        if (nIn <= 0 || override) nIn = in.getChannels();
    }

    /** Builder: {@code new ConvBnPrelu.Builder().nOut(64).kernel(3).stride(2).build()}. */
    public static class Builder extends NormalizedLayerConf.Builder<Builder> {
        private int kernel = 3;
        private int stride = 1;
        private boolean prelu = true;
        private double alphaInit = 0.25;

        public Builder kernel(int kernel) {
            if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd and positive: " + kernel);
            this.kernel = kernel;
            return this;
        }

        public Builder stride(int stride) {
            if (stride < 1) throw new IllegalArgumentException("stride must be positive: " + stride);
            this.stride = stride;
            return this;
        }

        /** With {@code false} the layer ends at the batch norm (conv + BN). */
        public Builder prelu(boolean prelu) {
            this.prelu = prelu;
            return this;
        }

        public Builder alphaInit(double alpha) {
            this.alphaInit = alpha;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ConvBnPrelu build() {
            return new ConvBnPrelu(this);
        }
    }
}
