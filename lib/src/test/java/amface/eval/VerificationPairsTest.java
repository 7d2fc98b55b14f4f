package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import amface.data.LfwPairs.Pair;

class VerificationPairsTest {

    @Test
    void missingImagesAreListedFirstTwentyAndCounted() {
        Embeddings e = Embeddings.builder(2).add("A/A_0001.jpg", new float[] {1, 0}).build();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 1; i <= 30; i++) pairs.add(new Pair("A/A_0001.jpg", "B/B_" + String.format("%04d", i) + ".jpg", false, i + 1));
        pairs.add(new Pair("A/A_0001.jpg", "A/A_0001.jpg", true, 32));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> VerificationPairs.match(pairs, e, false, "emb.csv"));
        String m = ex.getMessage();
        assertTrue(m.startsWith("30 of 31 pairs name images with no embedding in emb.csv (30 images, first 20: B/B_0001.jpg, "), m);
        assertTrue(m.contains("B/B_0020.jpg;") || m.contains("B/B_0020.jpg)"), m);
        assertTrue(!m.contains("B/B_0021.jpg"), m);
        assertTrue(m.contains("--skip-missing"), m);

        VerificationPairs kept = VerificationPairs.match(pairs, e, true, "emb.csv");
        assertEquals(1, kept.size());
        assertEquals(30, kept.skipped());
        assertEquals(30, kept.missingImages().size());
    }

    @Test
    void anotherExtensionReplacesThePairsJpg() {
        Embeddings e = Embeddings.builder(1).add("A/A_0001.png", new float[] {1}).add("B/B_0002.png", new float[] {-1}).build();
        List<Pair> pairs = List.of(new Pair("A/A_0001.jpg", "B/B_0002.jpg", false, 2));
        assertEquals("A/A_0001.png", VerificationPairs.match(pairs, ".png", e, false, "x").get(0).left());
        assertEquals("B/B_0002.png", VerificationPairs.match(pairs, "png", e, false, "x").get(0).right());
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.match(pairs, ".jpg", e, false, "x"));
    }

    @Test
    void distancesUseNormalisedEmbeddings() {
        Embeddings e = Embeddings.builder(2)
            .add("a", new float[] {2, 0}).add("b", new float[] {0, 5}).add("z", new float[] {0, 0}).build();
        VerificationPairs p = VerificationPairs.match(List.of(
            new Pair("a", "b", false, 0), new Pair("a", "a", true, 0), new Pair("a", "z", false, 0)), e, false, "x");
        double[] d = p.distances(Metric.DISTANCE);
        assertEquals(2.0, d[0], 1e-12);
        assertEquals(0.0, d[1], 0);
        assertEquals(1.0, d[2], 1e-12, "a zero embedding stays zero, as scikit-learn's normalize leaves it");
    }

    @Test
    void flipModesCombineAsDocumented() {
        float[] o = {3, 4}, m = {1, 0};
        assertEquals(List.of(3f, 4f), box(FlipMode.NONE.combine(o, null)));
        assertEquals(List.of(4f, 4f), box(FlipMode.SUM.combine(o, m)));
        assertEquals(List.of(2f, 2f), box(FlipMode.MEAN.combine(o, m)));
        assertEquals(List.of(0.6f, 0.8f, 1f, 0f), box(FlipMode.CONCAT.combine(o, m)));
        assertEquals(1024, FlipMode.CONCAT.dimension(512));
        assertEquals(FlipMode.CONCAT, FlipMode.parse("Concat"));
        assertThrows(IllegalArgumentException.class, () -> FlipMode.parse("twice"));
    }

    private static List<Float> box(float[] v) {
        List<Float> l = new ArrayList<>();
        for (float x : v) l.add(x);
        return l;
    }
}
