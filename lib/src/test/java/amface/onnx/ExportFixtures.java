package amface.onnx;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.image.RgbImage;

/** Inputs and weights for the export tests: NCHW batches built from the exported metadata, trained-like statistics. */
final class ExportFixtures {
    private ExportFixtures() { }

    /**
     * The NCHW float batch a deployment would build from the ONNX file's own metadata (channel order RGB,
     * {@code (x - mean) * scale}), independent of amface's {@code ImageTensors}.
     */
    static float[] nchw(List<RgbImage> images, Map<String, String> metadata) {
        if (!"RGB".equals(metadata.get("channel_order")) || !"NCHW".equals(metadata.get("input_layout"))) {
            throw new AssertionError("unexpected channel order / layout in " + metadata);
        }
        double[] mean = doubles(metadata.get("mean")), scale = doubles(metadata.get("scale"));
        int h = images.get(0).height(), w = images.get(0).width(), plane = h * w;
        float[] out = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            RgbImage img = images.get(n);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[(n * 3 + c) * plane + y * w + x] = (float) ((img.get(x, y, c) - mean[c]) * scale[c]);
                    }
                }
            }
        }
        return out;
    }

    private static double[] doubles(String csv) {
        String[] f = csv.split(",");
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i].trim());
        return v;
    }

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

    /** Largest absolute difference of two batches of embeddings (same shape, else an AssertionError). */
    static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) throw new AssertionError(a.length + " vs " + b.length + " embeddings");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) throw new AssertionError("embedding " + i + ": " + a[i].length + " vs " + b[i].length + " values");
            for (int j = 0; j < a[i].length; j++) max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
        return max;
    }

    /** Smallest cosine similarity between corresponding embeddings of two batches. */
    static double minCosine(float[][] a, float[][] b) {
        double min = 1;
        for (int i = 0; i < a.length; i++) {
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < a[i].length; j++) {
                dot += (double) a[i][j] * b[i][j];
                na += (double) a[i][j] * a[i][j];
                nb += (double) b[i][j] * b[i][j];
            }
            min = Math.min(min, dot / Math.sqrt(na * nb));
        }
        return min;
    }

    static double maxAbs(float[][] a) {
        double max = 0;
        for (float[] row : a) for (float v : row) max = Math.max(max, Math.abs(v));
        return max;
    }
}
