package amface.onnx;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;


/** Weights for the export tests: trained-like statistics. */
final class ExportFixtures {
    private ExportFixtures() { }

    /**
     * Gives every batch norm statistics and affine parameters a trained network could have (and PReLU slopes of
     * both signs, dense biases), so that folding is really exercised: the reference init (mean 0, var 1, gamma 1,
     * beta 0) would make every fold the identity. The last batch norm of each residual branch ({@code *_b}) gets
     * small gammas, as trained residual networks have, so that the identity path dominates and activations stay at
     * a trained network's scale through 24 units (with gammas near 1 an IResNet-50's embedding grows to ~450, where
     * float32 rounding alone exceeds 1e-4).
     */
    static void trainedLikeStatistics(ComputationGraph graph, long seed) {
        Random r = new Random(seed);
        for (Layer layer : graph.getLayers()) {
            boolean branchEnd = layer.conf().getLayer().getLayerName().endsWith("_b");
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray v = p.getValue();
                double[] values = new double[(int) v.length()];
                boolean known = true;
                for (int i = 0; i < values.length; i++) {
                    values[i] = switch (p.getKey()) {
                        case "gamma" -> branchEnd ? 0.1 + 0.2 * r.nextDouble() : 0.5 + r.nextDouble();
                        case "beta" -> 0.2 * r.nextGaussian();
                        case "mean" -> 0.3 * r.nextGaussian();
                        case "var" -> 0.3 + 1.7 * r.nextDouble();
                        case "alpha" -> -0.2 + 0.6 * r.nextDouble();
                        case "b" -> 0.1 * r.nextGaussian();
                        default -> Double.NaN;
                    };
                    known &= !Double.isNaN(values[i]);
                }
                if (known) v.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).castTo(v.dataType()).reshape(v.shape()));
            }
        }
    }

    static double maxAbs(float[][] a) {
        double max = 0;
        for (float[] row : a) for (float v : row) max = Math.max(max, Math.abs(v));
        return max;
    }
}
