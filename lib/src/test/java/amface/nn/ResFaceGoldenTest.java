package amface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.testing.TestPaths;

/**
 * A whole ResFace forward pass (small variant, 30x26 input) against PyTorch with the same weights, in eval mode
 * (running statistics) and training mode (batch statistics, running-average update), to 1e-4. Golden file:
 * {@code reference/resface_golden.py}.
 */
class ResFaceGoldenTest {
    static final BackboneSpec SPEC = BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 32, 64).input(30, 26)
        .embeddingSize(32).dropoutKeep(1.0);

    static Map<String, INDArray> golden() {
        File f = TestPaths.projectRoot().resolve("lib/src/test/resources/golden/nn/resface_small.npz").toFile();
        try {
            return Nd4j.createFromNpzFile(f);
        } catch (Exception e) {
            throw new AssertionError("cannot read golden file " + f + ": " + e, e);
        }
    }

    static ComputationGraph loaded(Map<String, INDArray> g) {
        ComputationGraph net = SPEC.embeddingGraph(DataType.FLOAT, 1);
        int assigned = 0;
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray value = g.get(name + "/" + p.getKey());
                if (value == null) throw new AssertionError("golden file lacks " + name + "/" + p.getKey());
                assertArrayEquals(p.getValue().shape(), value.shape(), name + "/" + p.getKey());
                p.getValue().assign(value);
                assigned++;
            }
        }
        assertTrue(assigned > 20, "parameters assigned: " + assigned);
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(err <= tol * scale, what + ": max |difference| " + err + " > " + tol * scale);
    }

    /** The golden weights' net after one forward pass of the golden input, its embedding checked to 1e-4. */
    private static ComputationGraph forwardMatches(Map<String, INDArray> g, boolean training) {
        ComputationGraph net = loaded(g);
        String mode = training ? "train" : "eval";
        assertClose(g.get(mode), net.outputSingle(training, g.get("input")), 1e-4, mode + "-mode embedding");
        return net;
    }

    @Test
    void evalForwardMatchesPytorch() {
        forwardMatches(golden(), false);
    }

    @Test
    void trainingForwardMatchesPytorchAndUpdatesRunningStatistics() {
        Map<String, INDArray> g = golden();
        Layer first = forwardMatches(g, true).getLayer("stage1_down");
        assertClose(g.get("stage1_down/mean_after"), first.getParam("mean"), 1e-5, "running mean after one batch");
        assertClose(g.get("stage1_down/var_after"), first.getParam("var"), 1e-5, "running variance after one batch");
    }
}
