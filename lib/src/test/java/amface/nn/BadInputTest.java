package amface.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import amface.nn.layers.NonFiniteException;

/** Wrong shapes and NaN/Inf give clear errors naming the layer, never a native crash. */
class BadInputTest {
    static final BackboneSpec TINY = FaceModelTest.TINY;

    static ComputationGraph trainable() {
        return trainable(TINY);
    }

    static ComputationGraph trainable(BackboneSpec spec) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).graphBuilder()
            .addInputs("input").setInputTypes(spec.inputType());
        String emb = spec.addTo(g, "input");
        g.addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build(), emb);
        ComputationGraph net = new ComputationGraph(g.setOutputs("head").build());
        net.init();
        return net;
    }

    static MultiDataSet batch(INDArray x) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, x.size(0), 4);
        for (int i = 0; i < x.size(0); i++) y.putScalar(i, i % 4, 1f);
        return new MultiDataSet(x, y);
    }

    private static Throwable root(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    @Test
    void nchwInputIsRejectedWithTheExpectedShape() {
        ComputationGraph net = TINY.embeddingGraph();
        INDArray nchw = Nd4j.rand(DataType.FLOAT, 2, 3, 28, 24);
        Throwable e = root(assertThrows(RuntimeException.class, () -> net.outputSingle(false, nchw)));
        assertTrue(e.getMessage().contains("stage1_down") && e.getMessage().contains("NHWC") && e.getMessage().contains("[2, 3, 28, 24]"),
            e.getMessage());
    }

    @Test
    void wrongChannelCountIsRejected() {
        ComputationGraph net = TINY.embeddingGraph();
        INDArray gray = Nd4j.rand(DataType.FLOAT, 2, 28, 24, 1);
        Throwable e = root(assertThrows(RuntimeException.class, () -> net.outputSingle(false, gray)));
        assertTrue(e.getMessage().contains("3]"), e.getMessage());
    }

    @Test
    void nanInTheTrainingBatchStopsTraining() {
        ComputationGraph net = trainable();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 28, 24, 3);
        x.putScalar(new long[] {1, 5, 5, 0}, Float.NaN);
        INDArray before = net.params().dup();
        Throwable e = root(assertThrows(RuntimeException.class, () -> net.fit(batch(x))));
        assertTrue(e instanceof NonFiniteException && e.getMessage().contains("stage1_down"), e.toString());
        assertTrue(before.equals(net.params()), "the weights are untouched by the failed step");
    }

    @Test
    void infiniteWeightsStopTraining() {
        ComputationGraph net = trainable();
        net.getLayer("stage2_unit1_a").getParam("W").putScalar(0, Float.POSITIVE_INFINITY);
        Throwable e = root(assertThrows(RuntimeException.class, () -> net.fit(batch(Nd4j.rand(DataType.FLOAT, 4, 28, 24, 3)))));
        assertTrue(e instanceof NonFiniteException && e.getMessage().contains("stage2_unit1_a"), e.toString());
    }
}
