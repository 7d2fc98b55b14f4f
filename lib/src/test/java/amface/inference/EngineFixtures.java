package amface.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.align.AlignTemplate;
import amface.align.Face;
import amface.align.FaceAligner;
import amface.align.FaceSelection;
import amface.align.MtcnnDetector;
import amface.align.OpThreads;
import amface.image.ImageReader;
import amface.image.RgbImage;
import amface.nn.FaceModel;
import amface.testing.TestPaths;

/** Models with trained-like batch-norm statistics and real aligned LFW faces for the engine's tests. */
final class EngineFixtures {
    private EngineFixtures() {
    }

    /**
     * Batch norms with statistics and affine parameters away from the identity (so every fold changes weights),
     * PReLU slopes of both signs, dense biases; the residual branches' last batch norms get small gammas, as trained
     * residual nets have, so activations keep a trained net's scale.
     */
    static FaceModel trainedLike(FaceModel m, long seed) {
        Random r = new Random(seed);
        for (Layer layer : m.graph().getLayers()) {
            boolean branchEnd = layer.conf().getLayer().getLayerName().endsWith("_b");
            for (var p : layer.paramTable().entrySet()) {
                INDArray v = p.getValue();
                double[] values = new double[(int) v.length()];
                String key = p.getKey();
                if (!List.of("gamma", "beta", "mean", "var", "alpha", "b").contains(key)) continue;
                for (int i = 0; i < values.length; i++) {
                    values[i] = switch (key) {
                        case "gamma" -> branchEnd ? 0.1 + 0.2 * r.nextDouble() : 0.5 + r.nextDouble();
                        case "beta" -> 0.2 * r.nextGaussian();
                        case "mean" -> 0.3 * r.nextGaussian();
                        case "var" -> 0.3 + 1.7 * r.nextDouble();
                        case "alpha" -> -0.2 + 0.6 * r.nextDouble();
                        default -> 0.1 * r.nextGaussian();
                    };
                }
                v.assign(Nd4j.createFromArray(values).castTo(v.dataType()).reshape(v.shape()));
            }
        }
        return m;
    }

    /** The first {@code n} LFW images (sorted by person) that MTCNN finds a face in, aligned to 112x96. */
    static List<RgbImage> lfwFaces(int n) throws Exception {
        java.nio.file.Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        List<RgbImage> faces = new ArrayList<>();
        int before = OpThreads.set(1);
        try (MtcnnDetector mtcnn = MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build();
             var people = java.nio.file.Files.list(lfw)) {
            for (java.nio.file.Path person : people.sorted().toList()) {
                if (faces.size() >= n) break;
                if (!java.nio.file.Files.isDirectory(person)) continue;
                java.nio.file.Path first = person.resolve(person.getFileName() + "_0001.jpg");
                RgbImage photo = ImageReader.read(first);
                List<Face> found = mtcnn.detect(photo);
                int pick = FaceSelection.pick(found, photo.width(), photo.height());
                if (pick >= 0) faces.add(FaceAligner.warp(photo, found.get(pick).landmarks(), AlignTemplate.SIZE_112x96));
            }
        } finally {
            OpThreads.set(before);
        }
        return faces;
    }

    static double cosine(float[] a, float[] b) {
        return Int8Calibration.cosine(a, b);
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
        return d;
    }

    static double maxAbs(float[][] a) {
        double d = 0;
        for (float[] row : a) for (float v : row) d = Math.max(d, Math.abs(v));
        return d;
    }

    static Random random(long seed) {
        return new Random(seed);
    }
}
