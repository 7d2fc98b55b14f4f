package amface.identification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Hand-worked cases of the metrics and the streaming pieces, and the errors bad input gets. */
class IdentificationMetricsTest {

    @Test
    void topScoresKeepsTheLargestAndCountsTies() {
        TopScores t = new TopScores(3);
        for (double s : new double[] {0.1, 0.9, 0.5, 0.5, 0.2, 0.7}) t.offer(s);
        assertArrayEquals(new double[] {0.9, 0.7, 0.5}, t.descending());
        assertEquals(6, t.offered());
        assertEquals(2, t.countAtLeast(0.7));
        assertEquals(0.5, t.floor());
    }

    @Test
    void ranksArePessimisticAndTiesCountAgainst() {
        // probe 0 (identity 1): mate 0.8, non-mates 0.8 (tie) and 0.9 -> rank 3; probe 1 (identity 9) not enrolled.
        double[][] s = {{0.8, 0.8, 0.9, 0.1}, {0.3, 0.6, 0.2, 0.4}};
        IdentificationScores r = IdentificationScores.fromMatrix(s, new int[] {1, 9}, new int[] {1, 2, 3, 4});
        assertEquals(3, r.mateRank(0));
        assertEquals(0.9, r.topNonMate(0));
        assertEquals(0, r.mateRank(1));
        assertEquals(0.6, r.topNonMate(1));
        assertArrayEquals(new double[] {0, 0, 1}, Cmc.of(r, 3).rates());
        // FPIR 0 over one non-mated probe: threshold at its score 0.6, the mate 0.8 > 0.6 is within rank 3.
        OpenSetIdentification.Point p = OpenSetIdentification.tpirAtFpir(r, 0, 3);
        assertEquals(0.6, p.threshold());
        assertEquals(0, p.fpir());
        assertEquals(1, p.tpir());
        assertEquals(0, OpenSetIdentification.tpirAtFpir(r, 0, 1).tpir());
    }

    @Test
    void streamingAgreesWithTheMatrixUpToItsDepth() {
        Random rng = new Random(3);
        int probes = 40, gallery = 300, depth = 5;
        double[][] s = new double[probes][gallery];
        int[] pl = new int[probes], gl = new int[gallery];
        for (int g = 0; g < gallery; g++) gl[g] = g % 60;
        for (int p = 0; p < probes; p++) {
            pl[p] = p % 70;
            for (int g = 0; g < gallery; g++) s[p][g] = rng.nextInt(50) / 10.0 + (gl[g] == pl[p] ? 1.5 : 0);
        }
        IdentificationScores full = IdentificationScores.fromMatrix(s, pl, gl);
        ProbeRanker ranker = ProbeRanker.forGallery(pl, gl, depth);
        for (int g = gallery - 1; g >= 0; g--) for (int p = 0; p < probes; p++) ranker.offer(p, gl[g], s[p][g]);
        IdentificationScores streamed = ranker.result();
        boolean beyond = false;
        for (int p = 0; p < probes; p++) {
            int want = full.mateRank(p) <= depth ? full.mateRank(p) : 0;
            beyond |= full.mated(p) && want == 0;
            assertEquals(want, streamed.mateRank(p), "probe " + p);
            assertEquals(full.topNonMate(p), streamed.topNonMate(p));
        }
        assertTrue(beyond, "some mates rank beyond the depth");
        assertArrayEquals(Cmc.of(full, depth).rates(), Cmc.of(streamed, depth).rates());
        assertThrows(IllegalArgumentException.class, () -> Cmc.of(streamed, depth + 1));
    }

    @Test
    void candidatesFromAnIndexMayMissTheMate() {
        IdentificationScores r = IdentificationScores.fromCandidates(new int[] {1, 2}, new boolean[] {true, true},
            new int[][] {{5, 1}, {3, 4}}, new double[][] {{0.9, 0.7}, {0.8, 0.6}});
        assertEquals(2, r.mateRank(0));
        assertEquals(0, r.mateRank(1)); // enrolled, but not among the top 2
        assertTrue(Double.isNaN(r.mateScore(1)));
        assertEquals(0.5, Cmc.of(r, 2).rate(2));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
            () -> IdentificationScores.fromMatrix(new double[][] {{Double.NaN}}, new int[] {1}, new int[] {1}));
        assertTrue(nan.getMessage().contains("probe 0"), nan.getMessage());
        ProbeRanker r = ProbeRanker.of(new int[] {1}, new boolean[] {false}, 3);
        assertThrows(IllegalArgumentException.class, () -> r.offer(0, 1, 0.5));
        IdentificationScores onlyNonMated = IdentificationScores.fromMatrix(new double[][] {{0.5}}, new int[] {2}, new int[] {1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cmc.of(onlyNonMated, 1)).getMessage().contains("no mated probe"));
        IdentificationScores onlyMated = IdentificationScores.fromMatrix(new double[][] {{0.5}}, new int[] {1}, new int[] {1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenSetIdentification.tpirAtFpir(onlyMated, 0.1, 1)).getMessage().contains("no non-mated"));
    }

    @Test
    void detRunsFromAcceptAllToAcceptNone() {
        double[][] s = {{0.9, 0.1}, {0.2, 0.3}, {0.5, 0.4}};
        IdentificationScores r = IdentificationScores.fromMatrix(s, new int[] {1, 1, 7}, new int[] {1, 2});
        DetCurve d = DetCurve.of(r, 1);
        assertEquals(1, d.fpir(0));
        assertEquals(0.5, d.fnir(0)); // probe 1's mate ranks 2nd
        assertEquals(0, d.fpir(d.size() - 1));
        assertEquals(1, d.fnir(d.size() - 1));
        for (int i = 1; i < d.size(); i++) assertTrue(d.fpir(i) <= d.fpir(i - 1) && d.fnir(i) >= d.fnir(i - 1));
    }

    @Test
    void templatesAreTheNormalisedMeanOfNormalisedFeatures() {
        float[] t = TemplatePooling.pool(List.of(new float[] {3, 0}, new float[] {0, 10}));
        assertEquals(Math.sqrt(0.5), t[0], 1e-6);
        assertEquals(Math.sqrt(0.5), t[1], 1e-6);
        float[] flips = TemplatePooling.poolWithFlips(List.of(new float[] {1, 0}), List.of(new float[] {1, 1}));
        assertTrue(flips[0] > flips[1] && flips[1] > 0);
        assertThrows(IllegalArgumentException.class, () -> TemplatePooling.normalise(new float[] {0, 0}));
        assertEquals("Aaron_Eckhart", TemplatePooling.lfwIdentity("Aaron_Eckhart/Aaron_Eckhart_0001.jpg"));
    }

    @Test
    void impostorTailPlacesBothThresholdRules() {
        ImpostorTail tail = ImpostorTail.forFar(0.25, 8);
        for (double s : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) tail.offer(s);
        // amface: at most 2 of 8 above -> threshold = 3rd largest 0.6, accept > 0.6.
        assertEquals(0.6, tail.thresholdAbove(0.25, 8));
        // BLUFR: round(0.25 * 8) = 2 -> threshold 2nd largest 0.7, accept >= 0.7.
        assertEquals(0.5, tail.blufrVerificationRate(new double[] {0.7, 0.65}, 0.25));
        assertEquals(0.0, tail.blufrVerificationRate(new double[] {0.8, 0.65}, 0.0)); // a = 0: above every impostor
    }
}
