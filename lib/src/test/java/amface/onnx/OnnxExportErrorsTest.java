package amface.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

import amface.nn.layers.ConvBnPrelu;

/** Graphs the exporter cannot map give one-line errors naming the vertex, before anything is written. */
class OnnxExportErrorsTest {

    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer middle, Activation fcActivation) {
        var g = new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("input")
            .setInputTypes(InputType.convolutional(16, 16, 3, CNN2DFormat.NHWC))
            .addLayer("stem", new ConvBnPrelu.Builder().nOut(4).kernel(3).stride(1).build(), "input");
        String last = "stem";
        if (middle != null) {
            g.addLayer("pool", middle, "stem");
            last = "pool";
        }
        g.addLayer("embedding", new DenseLayer.Builder().nOut(8).activation(fcActivation).build(), last).setOutputs("embedding");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static String exportError(ComputationGraph net) {
        OnnxExportException e = assertThrows(OnnxExportException.class,
            () -> Dl4jGraphExporter.export(net, "embedding", 16, 16, "input", "embedding", "test", Map.of()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unsupportedLayerIsNamed() {
        String m = exportError(graph(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC).build(),
            Activation.IDENTITY));
        assertTrue(m.contains("'pool'") && m.contains("SubsamplingLayer"), m);
    }

    @Test
    void denseActivationOtherThanIdentityIsNamed() {
        String m = exportError(graph(null, Activation.RELU));
        assertTrue(m.contains("'embedding'") && m.toLowerCase(java.util.Locale.ROOT).contains("relu"), m);
    }

    @Test
    void missingOutputVertexIsNamed() {
        ComputationGraph net = graph(null, Activation.IDENTITY);
        OnnxExportException e = assertThrows(OnnxExportException.class,
            () -> Dl4jGraphExporter.export(net, "nope", 16, 16, "input", "embedding", "test", Map.of()));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void aPlainConvAndDenseGraphExports() throws Exception {
        ComputationGraph net = graph(null, Activation.IDENTITY);
        byte[] bytes = Dl4jGraphExporter.export(net, "embedding", 16, 16, "input", "embedding", "test", Map.of("k", "v")).toByteArray();
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(bytes)) {
            assertEquals("v", ort.metadata().get("k"));
        }
    }
}
