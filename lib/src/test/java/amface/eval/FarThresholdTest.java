package amface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import amface.testing.Python;
import amface.testing.TestPaths;

/**
 * The threshold at a target FAR: small cases worked by hand, and every figure against
 * reference/threshold_at_far_reference.py (NumPy, brute force over every impostor similarity, no shared code).
 */
class FarThresholdTest {
    private static final double[] TARGETS = {1e-3, 1e-2, 0.1};

    @Test
    void smallestThresholdWhoseFarIsWithinTheTarget() {
        // 10 impostors 0.1 .. 1.0 and two genuine pairs, 2 folds of six pairs.
        double[] sim = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.95, 0.85};
        boolean[] same = {false, false, false, false, false, false, false, false, false, false, true, true};
        FarThreshold t = FarThreshold.calibrate(sim, same, 2, 0.1);
        assertEquals(0.9, t.threshold(), "one impostor of ten (1.0) may pass");
        assertEquals(1.0, FarThreshold.calibrate(sim, same, 2, 0).threshold(), "none may pass");
        assertEquals(0.9, FarThreshold.calibrate(sim, same, 2, 0.19).threshold(), "1.9 impostors allowed is one");
        assertEquals(0.8, FarThreshold.calibrate(sim, same, 2, 0.2).threshold(), "exactly 2 of 10 is within 0.2");
        // Fold 1 tests pairs 0-5 with a threshold from the impostors 0.7 .. 1.0 (0.4 of one may pass: none): 1.0.
        assertEquals(1.0, t.foldThreshold()[0]);
        assertEquals(0.0, t.foldFar()[0]);
        assertEquals(0.0, t.foldTar()[0], "no genuine pair in fold 1");
        // Fold 2 tests pairs 6-11 with a threshold from 0.1 .. 0.6 (0.6 of one: none): 0.6; all pass.
        assertEquals(0.6, t.foldThreshold()[1]);
        assertEquals(1.0, t.foldFar()[1]);
        assertEquals(1.0, t.foldTar()[1]);
        assertEquals(0.5, t.far(), 1e-15);
        assertEquals(0.5, t.farStd(), 1e-15);
    }

    @Test
    void tiedImpostorsNeverPushTheFarAboveTheTarget() {
        double[] sim = {0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.9, 0.9};
        boolean[] same = {false, false, false, false, false, false, false, false, true, true};
        // 3 of 8 may pass, but the four at 0.5 pass together: the threshold must stay at 0.5 (none pass).
        assertEquals(0.5, FarThreshold.calibrate(sim, same, 2, 3.0 / 8).threshold());
        assertEquals(0.2, FarThreshold.calibrate(sim, same, 2, 4.0 / 8).threshold());
    }

    @Test
    void badInputIsNamed() {
        boolean[] allSame = {true, true, true, true};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> FarThreshold.calibrate(new double[] {0.1, 0.2, 0.3, 0.4}, allSame, 2, 1e-3));
        assertTrue(e.getMessage().contains("impostors"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FarThreshold.calibrate(new double[] {0.1, Double.NaN}, new boolean[2], 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> FarThreshold.calibrate(new double[] {0.1, 0.2}, new boolean[2], 2, 1.0));
    }

    @Test
    void everyFigureMatchesTheNumpyReference() throws IOException {
        Path root = TestPaths.buildDir("eval/threshold-reference");
        List<String> names = List.of("hard", "easy", "ties", "odd-1003-7-folds", "tiny");
        List<SyntheticPairs> sets = List.of(
            SyntheticPairs.generate(3, 6000, 500, 5, 5, 128, 0.45, false),
            SyntheticPairs.generate(2, 6000, 500, 5, 5, 64, 3.0, false),
            SyntheticPairs.generate(4, 3000, 12, 8, 2, 16, 0.8, false),
            SyntheticPairs.generate(5, 1003, 200, 4, 4, 32, 1.0, false),
            SyntheticPairs.generate(7, 40, 10, 3, 3, 8, 1.0, true));
        int[] folds = {10, 10, 10, 7, 10};
        List<String> dirs = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            Path dir = root.resolve(names.get(c));
            Files.createDirectories(dir);
            SyntheticPairs.writePairsFile(dir.resolve("pairs.txt"), sets.get(c).pairs);
            EmbeddingsCsv.write(dir.resolve("embeddings.csv"), sets.get(c).embeddings);
            Files.writeString(dir.resolve("case.json"), "{\"folds\": " + folds[c] + ", \"far_targets\": [0.001, 0.01, 0.1],"
                + " \"pairs\": \"pairs.txt\", \"embeddings\": \"embeddings.csv\", \"ext\": \".jpg\"}\n");
            dirs.add(dir.toString());
        }
        Path python = Python.venv("threshold", "reference/requirements-threshold.txt");
        System.out.print(Python.script(python, "reference/threshold_at_far_reference.py", dirs.toArray(String[]::new)));

        for (int c = 0; c < names.size(); c++) {
            Path dir = root.resolve(names.get(c));
            JsonObject ref = new JsonParser().parse(Files.readString(dir.resolve("threshold_reference.json"))).getAsJsonObject();
            // Read back from the files, as the script did.
            VerificationPairs vp = VerificationPairs.match(sets.get(c).pairs, EmbeddingsCsv.read(dir.resolve("embeddings.csv")), false, names.get(c));
            double[] sim = vp.similarities();
            assertArray(ref.getAsJsonArray("similarity"), sim, 1e-12, names.get(c) + ": similarities");
            JsonArray targets = ref.getAsJsonArray("targets");
            for (int k = 0; k < TARGETS.length; k++) {
                JsonObject r = targets.get(k).getAsJsonObject();
                FarThreshold t = FarThreshold.calibrate(sim, vp.same(), folds[c], TARGETS[k]);
                String n = names.get(c) + " at FAR " + TARGETS[k] + ": ";
                assertEquals(r.get("threshold").getAsDouble(), t.threshold(), 1e-12, n + "threshold");
                assertArray(r.getAsJsonArray("fold_threshold"), t.foldThreshold(), 1e-12, n + "fold thresholds");
                assertArray(r.getAsJsonArray("fold_far"), t.foldFar(), 0, n + "fold FAR");
                assertArray(r.getAsJsonArray("fold_tar"), t.foldTar(), 0, n + "fold TAR");
                assertEquals(r.get("far_std").getAsDouble(), t.farStd(), 1e-12, n + "FAR std");
                assertEquals(r.get("tar_std").getAsDouble(), t.tarStd(), 1e-12, n + "TAR std");
                assertEquals(r.get("threshold_std").getAsDouble(), t.thresholdStd(), 1e-12, n + "threshold std");
                System.out.println(n + t.summary());
            }
        }
        // Not a degenerate agreement: the hard set's thresholds differ by target and its TAR is in between.
        FarThreshold hard = FarThreshold.calibrate(vpOf(sets.get(0)).similarities(), vpOf(sets.get(0)).same(), 10, 1e-2);
        assertTrue(hard.tar() > 0.05 && hard.tar() < 0.95, "hard set TAR at 1e-2: " + hard.tar());
        assertTrue(hard.thresholdStd() > 0, "the threshold moves between folds");
    }

    private static VerificationPairs vpOf(SyntheticPairs s) {
        return VerificationPairs.match(s.pairs, s.embeddings, false, "synthetic");
    }

    private static void assertArray(JsonArray want, double[] got, double tol, String what) {
        assertEquals(want.size(), got.length, what + ": length");
        double[] w = new double[want.size()];
        for (int i = 0; i < w.length; i++) w[i] = want.get(i).getAsDouble();
        assertArrayEquals(w, got, tol, what);
    }
}
