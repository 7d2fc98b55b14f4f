package amface.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import amface.nn.layers.OneDnn;

/**
 * A whole small ResFace and L-ResNet-E-IR through the oneDNN path (Winograd, folded batch norm in inference,
 * oneDNN batch norm and PReLU) against the same networks through libnd4j's {@code conv2d} and the Java batch-norm
 * loops ({@code amface.nn.conv=nd4j}), in one JVM:
 * eval-mode outputs, training-mode outputs and every parameter gradient to 1e-4; and the folded inference
 * weights follow parameter changes made behind the layers' backs (as the updater and ParallelWrapper do).
 */
class OneDnnPathTest {
    /** ResFace (Winograd in every unit, direct stride-2) and L-ResNet-E-IR (1x1 projections, ChannelBatchNorm). */
    static BackboneSpec spec(String architecture) {
        BackboneSpec base = architecture.equals("resface") ? BackboneSpec.resFace(1, 1, 1, 1) : BackboneSpec.lResNet50eIr().units(1, 2, 1, 1);
        return base.channels(16, 32, 64, 128).input(56, 48).embeddingSize(32).dropoutKeep(1.0);
    }

    @AfterEach
    void restore() {
        System.clearProperty("amface.nn.conv");
    }

    private static void close(INDArray expected, INDArray actual, double tol, String what) {
        amface.testing.ArrayClose.assertClose(expected, actual, tol, 1e-6, what);
    }

    private static ComputationGraph net(BackboneSpec spec) {
        var g = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new NoOp())
            .graphBuilder().addInputs("input").setInputTypes(spec.inputType());
        String emb = spec.addTo(g, "input");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY)
            .build(), emb);
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        // non-trivial statistics so that folding the batch norm matters
        Nd4j.getRandom().setSeed(11);
        for (var layer : net.getLayers()) {
            Map<String, INDArray> p = layer.paramTable();
            if (p.containsKey("mean")) {
                long c = p.get("mean").length();
                p.get("mean").assign(Nd4j.randn(DataType.FLOAT, c).muli(0.3));
                p.get("var").assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5));
                p.get("gamma").assign(Nd4j.randn(DataType.FLOAT, c));
                p.get("beta").assign(Nd4j.randn(DataType.FLOAT, c).muli(0.2));
                if (p.containsKey("alpha")) p.get("alpha").assign(Nd4j.rand(DataType.FLOAT, c).muli(0.5));
            }
        }
        return net;
    }

    private record Run(INDArray eval, INDArray train, INDArray gradient, INDArray evalAfterChange) { }

    private static Run run(BackboneSpec spec, boolean oneDnn) {
        if (oneDnn) System.clearProperty("amface.nn.conv");
        else System.setProperty("amface.nn.conv", "nd4j");
        ComputationGraph net = net(spec);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 56, 48, 3);
        INDArray labels = Nd4j.randn(DataType.FLOAT, 3, 4);
        INDArray eval = net.outputSingle(false, x).dup();
        close(eval, net.outputSingle(false, x), 0, "repeated inference");
        INDArray train = net.outputSingle(true, x).dup();
        net.setInputs(x);
        net.setLabels(labels);
        net.computeGradientAndScore();
        INDArray gradient = net.gradient().gradient().dup();
        // change the parameters behind the layers' backs, as an updater does; inference must follow
        net.params().muli(0.9);
        INDArray changed = net.outputSingle(false, x).dup();
        return new Run(eval, train, gradient, changed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resface", "ir"})
    void oneDnnMatchesLibnd4j(String architecture) {
        assertTrue(OneDnn.available(), String.valueOf(OneDnn.problem()));
        Run ours = run(spec(architecture), true);
        Run reference = run(spec(architecture), false);
        close(reference.eval(), ours.eval(), 1e-4, "eval-mode embedding");
        close(reference.train(), ours.train(), 1e-4, "training-mode embedding");
        close(reference.gradient(), ours.gradient(), 1e-4, "parameter gradients");
        close(reference.evalAfterChange(), ours.evalAfterChange(), 1e-4, "eval-mode embedding after a parameter change");
        assertTrue(ours.evalAfterChange().sub(ours.eval()).amaxNumber().doubleValue() > 1e-3,
            "the parameter change must change the embedding");
    }
}
