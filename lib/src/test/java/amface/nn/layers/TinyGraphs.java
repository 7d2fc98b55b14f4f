package amface.nn.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graphs using every amface layer, for gradient checks and workspace tests. */
final class TinyGraphs {
    private TinyGraphs() { }

    /**
     * input [n, 7, 6, 3] NHWC -> conv s2 (PReLU) -> residual unit (conv PReLU, conv PReLU, add) -> 1x1 s2 conv
     * (no PReLU) -> channel BN -> dense 6 -> dense BN -> output (MSE, 3).
     */
    static ComputationGraph everyLayer(DataType type, WorkspaceMode ws, long seed) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new NoOp())
            .trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws)
            .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(7, 6, 3, CNN2DFormat.NHWC));
        g.addLayer("c1", new ConvBnPrelu.Builder().nOut(4).kernel(3).stride(2).weightInit(WeightInit.XAVIER).build(), "in");
        g.addLayer("c2", new ConvBnPrelu.Builder().nOut(4).kernel(3).weightInit(WeightInit.XAVIER).build(), "c1");
        g.addLayer("c3", new ConvBnPrelu.Builder().nOut(4).kernel(3).weightInit(WeightInit.XAVIER).build(), "c2");
        g.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1", "c3");
        g.addLayer("c4", new ConvBnPrelu.Builder().nOut(5).kernel(1).stride(2).prelu(false).weightInit(WeightInit.XAVIER).build(), "add");
        g.addLayer("bn", new ChannelBatchNorm.Builder().build(), "c4");
        g.addLayer("fc", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "bn");
        g.addLayer("fcbn", new ChannelBatchNorm.Builder().build(), "fc");
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER).build(), "fcbn");
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        // move BN/PReLU parameters off their symmetric initial values so every term of the gradient matters
        Nd4j.getRandom().setSeed(seed);
        for (var layer : net.getLayers()) {
            for (var e : layer.paramTable().entrySet()) {
                INDArray p = e.getValue();
                switch (e.getKey()) {
                    case "gamma" -> p.assign(Nd4j.rand(type, p.shape()).addi(0.5));
                    case "beta" -> p.assign(Nd4j.randn(type, p.shape()).muli(0.3));
                    case "alpha" -> p.assign(Nd4j.rand(type, p.shape()).muli(0.6).addi(0.05));
                    default -> { }
                }
            }
        }
        return net;
    }
}
