package amface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.DatasetException;
import amface.data.LfwPairs;
import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.image.ImageReader;
import amface.image.ImageTransforms;
import amface.image.RgbImage;
import amface.nn.Embedder;
import amface.testing.TestPaths;

class PairsCheckTest {

    /** Mean colour of each quadrant: a model stand-in whose embeddings this test can compute itself. */
    static final class QuadrantColours implements Embedder {
        @Override public int inputHeight() { return 32; }
        @Override public int inputWidth() { return 32; }
        @Override public int embeddingSize() { return 12; }

        @Override
        public float[][] embed(List<RgbImage> images) {
            float[][] out = new float[images.size()][];
            for (int i = 0; i < out.length; i++) out[i] = of(images.get(i));
            return out;
        }

        static float[] of(RgbImage im) {
            float[] e = new float[12];
            for (int y = 0; y < im.height(); y++) for (int x = 0; x < im.width(); x++) {
                int q = (y < im.height() / 2 ? 0 : 2) + (x < im.width() / 2 ? 0 : 1);
                for (int c = 0; c < 3; c++) e[q * 3 + c] += im.get(x, y, c) / 255f;
            }
            return e;
        }
    }

    private static SyntheticFaces.Written faces() throws Exception {
        return SyntheticFaces.builder().seed(3).difficulty(0.1).size(32, 32).build()
            .writeDataset(TestPaths.buildDir("notebook-tiny-faces"), 6, 8, 4, 40, Progress.NONE);
    }

    @Test
    void evaluatesEveryFlipModeAsTheEvaluatorDoesOnEmbeddingsMadeByHand() throws Exception {
        SyntheticFaces.Written data = faces();
        PairsCheck check = PairsCheck.of(data.pairs(), data.heldOut(), "png");
        assertEquals(40, check.size());
        assertTrue(check.images().stream().allMatch(p -> p.endsWith(".png")), check.images().toString());

        Map<String, VerificationResult> all = check.evaluateAll(check.embed(new QuadrantColours(), Progress.NONE));
        assertEquals(List.of("none", "sum", "mean", "concat"), List.copyOf(all.keySet()));

        List<LfwPairs.Pair> pairs = check.pairs().pairs();
        float[][] left = new float[pairs.size()][], right = new float[pairs.size()][];
        float[][] leftMean = new float[pairs.size()][], rightMean = new float[pairs.size()][];
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            RgbImage l = ImageReader.read(data.heldOut().resolve(png(pairs.get(i).left())));
            RgbImage r = ImageReader.read(data.heldOut().resolve(png(pairs.get(i).right())));
            left[i] = QuadrantColours.of(l);
            right[i] = QuadrantColours.of(r);
            leftMean[i] = FlipMode.MEAN.combine(left[i], QuadrantColours.of(ImageTransforms.flipHorizontal(l)));
            rightMean[i] = FlipMode.MEAN.combine(right[i], QuadrantColours.of(ImageTransforms.flipHorizontal(r)));
            same[i] = pairs.get(i).same();
        }
        VerificationResult none = VerificationEvaluator.standard().evaluate(left, right, same);
        VerificationResult mean = VerificationEvaluator.standard().evaluate(leftMean, rightMean, same);
        assertArrayEquals(none.distances(), all.get("none").distances(), 1e-5);
        assertArrayEquals(mean.distances(), all.get("mean").distances(), 1e-5);
        assertArrayEquals(all.get("sum").distances(), all.get("mean").distances(), 1e-5);
        assertEquals(none.accuracyMean(), all.get("none").accuracyMean(), 1e-12);
        assertEquals(mean.auc(), all.get("mean").auc(), 1e-9);
    }

    @Test
    void aMissingImageIsNamedBeforeAnyWork(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written data = faces();
        DatasetException e = assertThrows(DatasetException.class, () -> PairsCheck.of(data.pairs(), dir, "png"));
        assertTrue(e.getMessage().contains(".png"), e.getMessage());
        assertTrue(Files.isDirectory(dir));
    }

    private static String png(String path) {
        return path.substring(0, path.lastIndexOf('.')) + ".png";
    }
}
