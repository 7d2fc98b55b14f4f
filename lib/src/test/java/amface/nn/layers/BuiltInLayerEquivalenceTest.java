package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ConvBnPrelu against the DL4J layers it replaces, in double precision on random input: ConvolutionLayer +
 * BatchNormalization (forward in both modes, parameter gradients) and + PReLULayer (forward; the built-in PReLU
 * backward fails on conv activations in M2.1, so that part is covered by the gradient checks).
 */
class BuiltInLayerEquivalenceTest {
    private static final InputType IN = InputType.convolutional(9, 8, 3, CNN2DFormat.NHWC);

    @AfterEach
    void restore() {
        System.clearProperty("amface.nn.kernels");
    }

    private static GraphBuilder builder() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
            .graphBuilder().addInputs("in").setInputTypes(IN);
    }

    private static OutputLayer head() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY).build();
    }

    private static ComputationGraph ours(boolean prelu) {
        GraphBuilder g = builder();
        g.addLayer("c", new ConvBnPrelu.Builder().nOut(5).kernel(3).stride(2).prelu(prelu).build(), "in");
        g.addLayer("out", head(), "c");
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        return net;
    }

    private static ComputationGraph builtIn(boolean prelu) {
        GraphBuilder g = builder();
        g.addLayer("conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(5).hasBias(false)
            .activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NHWC).convolutionMode(ConvolutionMode.Truncate).build(), "in");
        g.addLayer("bn", new BatchNormalization.Builder().eps(1e-3).decay(0.995).useLogStd(false)
            .dataFormat(CNN2DFormat.NHWC).build(), "conv");
        String last = "bn";
        if (prelu) {
            g.addLayer("prelu", new PReLULayer.Builder().inputShape(5, 4, 5).sharedAxes(1, 2).build(), "bn");
            last = "prelu";
        }
        g.addLayer("out", head(), last);
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        return net;
    }

    /** Copies our random parameters into the built-in graph. */
    private static void copy(ComputationGraph from, ComputationGraph to, boolean prelu) {
        Nd4j.getRandom().setSeed(9);
        var c = from.getLayer("c");
        c.getParam("gamma").assign(Nd4j.rand(DataType.DOUBLE, 5).addi(0.5));
        c.getParam("beta").assign(Nd4j.randn(DataType.DOUBLE, 5));
        c.getParam("mean").assign(Nd4j.randn(DataType.DOUBLE, 5).muli(0.2));
        c.getParam("var").assign(Nd4j.rand(DataType.DOUBLE, 5).addi(0.5));
        to.getLayer("conv").getParam("W").assign(c.getParam("W"));
        for (String p : new String[] {"gamma", "beta", "mean", "var"}) to.getLayer("bn").getParam(p).assign(c.getParam(p));
        if (prelu) {
            c.getParam("alpha").assign(Nd4j.rand(DataType.DOUBLE, 5).muli(0.5));
            to.getLayer("prelu").getParam("W").assign(c.getParam("alpha").reshape(1, 1, 5));
        }
        to.getLayer("out").setParams(from.getLayer("out").params());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(err <= 1e-5 * scale, what + ": max |difference| " + err + " (scale " + scale + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "native"})
    void convBnMatchesConvolutionLayerPlusBatchNormalization(String kernels) {
        System.setProperty("amface.nn.kernels", kernels);
        ComputationGraph a = ours(false), b = builtIn(false);
        copy(a, b, false);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 9, 8, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 6, 3);
        assertClose(b.outputSingle(false, x), a.outputSingle(false, x), "eval output");
        assertClose(b.outputSingle(true, x), a.outputSingle(true, x), "training output");
        a.setInputs(x);
        a.setLabels(y);
        a.computeGradientAndScore();
        b.setInputs(x);
        b.setLabels(y);
        b.computeGradientAndScore();
        var ga = a.gradient().gradientForVariable();
        var gb = b.gradient().gradientForVariable();
        assertClose(gb.get("conv_W"), ga.get("c_W"), "conv weight gradient");
        assertClose(gb.get("bn_gamma"), ga.get("c_gamma"), "gamma gradient");
        assertClose(gb.get("bn_beta"), ga.get("c_beta"), "beta gradient");
        assertClose(gb.get("out_W"), ga.get("out_W"), "next layer's gradient");
        assertTrue(Math.abs(a.score() - b.score()) < 1e-9 * Math.max(1, b.score()), "scores " + a.score() + " " + b.score());
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "native"})
    void convBnPreluForwardMatchesPReLULayer(String kernels) {
        System.setProperty("amface.nn.kernels", kernels);
        ComputationGraph a = ours(true), b = builtIn(true);
        copy(a, b, true);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 9, 8, 3);
        assertClose(b.outputSingle(false, x), a.outputSingle(false, x), "eval output");
        assertClose(b.outputSingle(true, x), a.outputSingle(true, x), "training output");
        // and the score of a fit-style pass agrees too
        MultiDataSet data = new MultiDataSet(x, Nd4j.randn(DataType.DOUBLE, 6, 3));
        assertTrue(Math.abs(a.score(data, true) - b.score(data, true)) < 1e-9 * Math.max(1, b.score(data, true)));
    }
}
