package amface.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** The head inside a Deeplearning4j ComputationGraph: wiring, gradients, serialisation, warm-up, lr multiplier, learned s. */
class MarginSoftmaxGraphTest {

    private static ComputationGraph graph(MarginSoftmax head, boolean dense, DataType type, double lr) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
            .seed(42).dataType(type).updater(new Sgd(lr))
            .graphBuilder().addInputs("x").setInputTypes(InputType.feedForward(head.getNIn()));
        String last = "x";
        if (dense) {
            b.addLayer("emb", new DenseLayer.Builder().nOut(head.getNIn()).activation(Activation.IDENTITY).build(), "x");
            last = "emb";
        }
        b.addLayer("head", head, last).setOutputs("head");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    private static GoldenCase golden(String name) {
        return GoldenCase.all().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void graphGradientsAndScoreMatchTheGoldenFiles() {
        for (String name : new String[] {"am_learned_s_warm", "softmax", "arcface", "sphereface"}) {
            GoldenCase c = golden(name);
            INDArray w = c.matrix("W");
            MarginSoftmax head = MarginSoftmax.builder().margin(c.margin()).scale(c.scale()).learnScale(c.learnScale())
                .nIn(w.size(0)).nOut(w.size(1)).build();
            ComputationGraph g = graph(head, false, DataType.DOUBLE, 0.1);
            g.getLayer("head").setParam("W", w);
            if (c.has("b")) g.getLayer("head").setParam("b", c.matrix("b"));
            // warm and step come from the iteration count: set it so that warm-up and annealing match the case
            long step = c.step();
            if (c.warm() < 1) {
                head = MarginSoftmax.builder().margin(c.margin()).scale(c.scale()).learnScale(c.learnScale())
                    .marginWarmup(1000).nIn(w.size(0)).nOut(w.size(1)).build();
                g = graph(head, false, DataType.DOUBLE, 0.1);
                g.getLayer("head").setParam("W", w);
                step = Math.round(c.warm() * 1000);
            }
            g.getConfiguration().setIterationCount((int) step);
            g.getLayer("head").setIterationCount((int) step);
            g.setInputs(c.matrix("x"));
            g.setLabels(c.oneHot());
            g.computeGradientAndScore();
            long batch = c.matrix("x").size(0);
            MarginLossTest.assertClose(name + " score", c.number("loss"), g.score());
            MarginLossTest.assertClose(name + " dW", c.matrix("dW"), g.gradient().getGradientFor("head_W").div(batch));
            if (c.has("dS")) MarginLossTest.assertClose(name + " ds", c.number("dS"), g.gradient().getGradientFor("head_s").getDouble(0) / batch);
            if (c.has("dB")) MarginLossTest.assertClose(name + " db", c.matrix("dB"), g.gradient().getGradientFor("head_b").div(batch));
            INDArray out = g.outputSingle(c.matrix("x"));
            if (!"softmax".equals(name)) MarginLossTest.assertClose(name + " cosine logits", c.matrix("cos"), out);
        }
    }

    @Test
    void savesAndRestoresWithModelSerializer(@TempDir Path dir) throws Exception {
        MarginSoftmax head = MarginSoftmax.builder().margin(new ArcMargin(0.5, false)).scale(16).learnScale(true)
            .marginWarmup(50).lrMultiplier(3).nIn(8).nOut(4).build();
        ComputationGraph g = graph(head, true, DataType.FLOAT, 0.05);
        String json = g.getConfiguration().toJson();
        assertEquals(json, ComputationGraphConfiguration.fromJson(json).toJson(), "JSON round trip");
        assertTrue(json.contains("amface.head.ArcMargin"), json);

        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 4);
        for (int i = 0; i < 16; i++) y.putScalar(i, i % 4, 1);
        for (int i = 0; i < 5; i++) g.fit(new MultiDataSet(x, y));
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(g.params(), back.params());
        assertEquals(g.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(5, back.getConfiguration().getIterationCount());
        MarginSoftmax restored = (MarginSoftmax) back.getLayer("head").conf().getLayer();
        assertEquals(new ArcMargin(0.5, false), restored.getMargin());
        assertEquals(3.0, restored.getLrMultiplier());
        assertEquals(g.outputSingle(x), back.outputSingle(x));
        // both continue identically
        g.fit(new MultiDataSet(x, y));
        back.fit(new MultiDataSet(x, y));
        assertEquals(g.params(), back.params());
        assertEquals(6 / 50.0, ((MarginSoftmaxLayer) back.getLayer("head")).warm(), 1e-12);
    }

    @Test
    void learnedScaleMovesAndTrainingLowersTheLoss() {
        MarginSoftmax head = MarginSoftmax.builder().margin(new CosineMargin(0.35)).scale(10).learnScale(true).nIn(8).nOut(4).build();
        ComputationGraph g = graph(head, true, DataType.FLOAT, 0.1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 8).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 4);
        for (int i = 0; i < 32; i++) y.putScalar(i, i % 4, 1);
        MarginSoftmaxLayer layer = (MarginSoftmaxLayer) g.getLayer("head");
        g.fit(new MultiDataSet(x, y));
        double first = layer.lastLoss();
        for (int i = 0; i < 60; i++) g.fit(new MultiDataSet(x, y));
        assertTrue(layer.lastLoss() < first, "loss " + first + " -> " + layer.lastLoss());
        assertNotEquals(10.0, layer.scale(), 1e-6);
        assertTrue(layer.lastAccuracy() >= 0 && layer.lastAccuracy() <= 1);
    }

    @Test
    void lrMultiplierScalesTheHeadsStepOnly() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1);
        INDArray[] steps = new INDArray[2];
        INDArray[] embSteps = new INDArray[2];
        double[] multipliers = {1, 4};
        for (int k = 0; k < 2; k++) {
            MarginSoftmax head = MarginSoftmax.builder().margin(new CosineMargin(0.35)).scale(30).lrMultiplier(multipliers[k]).nIn(6).nOut(3).build();
            ComputationGraph g = graph(head, true, DataType.DOUBLE, 0.01);
            INDArray w0 = g.getLayer("head").getParam("W").dup();
            INDArray e0 = g.getLayer("emb").getParam("W").dup();
            g.fit(new MultiDataSet(x, y));
            steps[k] = g.getLayer("head").getParam("W").sub(w0);
            embSteps[k] = g.getLayer("emb").getParam("W").sub(e0);
        }
        assertTrue(steps[0].mul(4).equalsWithEps(steps[1], 1e-10), "head step x4");
        assertTrue(embSteps[0].equalsWithEps(embSteps[1], 1e-10), "backbone step unchanged");
    }
}
