package amface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Hand-checkable cases; the full protocol is cross-checked in {@link VerificationReferenceTest}. */
class VerificationEvaluatorTest {

    @Test
    void separableDistancesGiveAPerfectScoreAndTheSmallestBestThreshold() {
        // 20 pairs, 2 folds of 10: same pairs at 0.5, different at 1.5.
        double[] d = new double[20];
        boolean[] same = new boolean[20];
        for (int i = 0; i < 20; i++) { same[i] = i % 2 == 0; d[i] = same[i] ? 0.5 : 1.5; }
        VerificationResult r = VerificationEvaluator.standard().withFolds(2).evaluateDistances(d, same);
        assertArrayEquals(new double[] {1, 1}, r.foldAccuracy());
        // Every threshold in (0.5, 1.5] is perfect on the training fold; the smallest grid one is 0.51.
        assertArrayEquals(new double[] {0.51, 0.51}, r.foldThreshold(), 1e-12);
        assertEquals(1.0, r.auc());
        assertEquals(0.0, r.eer());
        assertEquals(1.0, r.val());
        assertEquals(0.0, r.far());
        assertEquals(0, r.errors());
    }

    @Test
    void sameMeansStrictlyBelowTheThreshold() {
        // A same pair at exactly 0.5 is only accepted by thresholds above 0.5.
        double[] d = {0.5, 1.0, 0.5, 1.0};
        boolean[] same = {true, false, true, false};
        VerificationResult r = VerificationEvaluator.standard().withFolds(2).evaluateDistances(d, same);
        assertArrayEquals(new double[] {0.51, 0.51}, r.foldThreshold(), 1e-12);
        assertEquals(1.0, r.accuracyMean());
    }

    @Test
    void hardestMistakesComeWorstFirst() {
        double[] d = {0.2, 0.3, 0.4, 1.9, 1.0, 1.2, 1.3, 0.1, 1.4, 1.1};
        boolean[] same = {true, true, true, true, false, false, false, false, false, true};
        VerificationResult r = VerificationEvaluator.standard().withFolds(2).evaluateDistances(d, same);
        List<MisjudgedPair> rejects = r.hardestFalseRejects(5);
        List<MisjudgedPair> accepts = r.hardestFalseAccepts(5);
        assertEquals(3, rejects.get(0).index(), "the same pair at 1.9 is the worst reject");
        assertTrue(rejects.stream().allMatch(p -> p.same() && p.distance() >= p.threshold()));
        assertEquals(7, accepts.get(0).index(), "the different pair at 0.1 is the worst accept");
        assertTrue(accepts.stream().allMatch(p -> !p.same() && p.distance() < p.threshold()));
        double errors = rejects.size() + accepts.size();
        assertEquals(1 - errors / 10, r.accuracyMean(), 1e-12, "mistakes agree with the accuracy (equal folds)");
    }

    @Test
    void exactRocTreatsTiesAsOneStep() {
        // Two pairs tie at 1.0, one same and one different: the ROC goes diagonally through them.
        double[] d = {0.5, 1.0, 1.0, 2.0};
        boolean[] same = {true, true, false, false};
        RocCurve roc = VerificationEvaluator.exactRoc(d, same, 2);
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, roc.fpr());
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.tpr());
        assertEquals(0.875, roc.area(), 1e-15);
        // 1 - TPR meets FPR on the diagonal step from (0, 0.5) to (0.5, 1): at FPR 0.25.
        assertEquals(0.25, roc.equalErrorRate(), 1e-15);
    }

    @Test
    void embeddingsAreNormalisedBeforeTheDistance() {
        float[][] left = {{3, 0}, {0, 2}, {1, 1}, {5, 0}};
        float[][] right = {{10, 0}, {0, 0.1f}, {-1, -1}, {0, 7}};
        boolean[] same = {true, true, false, false};
        VerificationResult r = VerificationEvaluator.standard().withFolds(2).evaluate(left, right, same);
        assertArrayEquals(new double[] {0, 0, 4, 2}, r.distances(), 1e-12);
        VerificationResult c = VerificationEvaluator.standard().withFolds(2).withMetric(Metric.COSINE).evaluate(left, right, same);
        assertArrayEquals(new double[] {0, 0, 2, 1}, c.distances(), 1e-12);
    }

    @Test
    void oneClassOrTooFewPairsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> VerificationEvaluator.standard().evaluateDistances(new double[12], new boolean[12]));
        assertTrue(e.getMessage().contains("both same and different"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> VerificationEvaluator.standard().evaluateDistances(new double[] {0, 1}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("2 pairs into 10 folds"), e.getMessage());
    }

    @Test
    void jsonHasExactlyTheIssuesKeys() {
        SyntheticPairs set = SyntheticPairs.generate(11, 600, 100, 4, 4, 16, 0.8, false);
        VerificationResult r = VerificationEvaluator.standard().evaluate(VerificationPairs.match(set.pairs, set.embeddings, false, "test"));
        var json = new com.google.gson.JsonParser().parse(r.toJson()).getAsJsonObject();
        assertEquals(List.of("pairs", "acc_mean", "acc_std", "fold_acc", "fold_threshold", "val", "val_std", "far", "auc", "eer"),
            json.entrySet().stream().map(java.util.Map.Entry::getKey).toList());
        assertEquals(600, json.get("pairs").getAsInt());
        assertEquals(10, json.getAsJsonArray("fold_acc").size());
        assertEquals(r.accuracyMean(), json.get("acc_mean").getAsDouble(), 0);
    }

    /** The issue's bound: 6000 pairs of 512-d embeddings in well under a second (generous: 1 s, shared CPU). */
    @Test
    void sixThousandPairsOf512dEvaluateInUnderASecond() {
        Random rnd = new Random(12);
        int n = 6000, dim = 512;
        float[][] left = new float[n][dim], right = new float[n][dim];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = (i / 300) % 2 == 0;
            for (int k = 0; k < dim; k++) {
                left[i][k] = (float) rnd.nextGaussian();
                right[i][k] = same[i] ? left[i][k] + (float) rnd.nextGaussian() : (float) rnd.nextGaussian();
            }
        }
        VerificationEvaluator ev = VerificationEvaluator.standard();
        ev.evaluate(left, right, same); // warm-up (JIT)
        // CPU time of this thread, so that other jobs on a shared machine do not count; wall time is printed too.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long bestCpu = Long.MAX_VALUE, bestWall = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long c0 = cpu.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            VerificationResult r = ev.evaluate(left, right, same);
            bestWall = Math.min(bestWall, System.nanoTime() - t0);
            bestCpu = Math.min(bestCpu, cpu.getCurrentThreadCpuTime() - c0);
            assertTrue(r.accuracyMean() > 0.9);
        }
        System.out.printf("6000 pairs x 512-d: %.1f ms CPU, %.1f ms wall (best of 3, shared machine)%n", bestCpu / 1e6, bestWall / 1e6);
        assertTrue(bestCpu < 1_000_000_000L, "took " + bestCpu / 1e6 + " ms of CPU");
    }
}
