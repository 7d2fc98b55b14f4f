package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import amface.data.DatasetException;
import amface.data.LfwPairs;
import amface.data.LfwPairs.Pair;
import amface.testing.Python;
import amface.testing.TestPaths;

/**
 * Cross-check against reference/verification_reference.py (NumPy + scikit-learn, no shared code): the Java side
 * reads the same files the script reads (pairs file, embeddings CSV) and every figure must agree to 1e-9
 * (AUC 1e-6, EER 1e-4).
 */
class VerificationReferenceTest {

    /** One input set: files in a folder for the script, and the Java evaluation of those same files. */
    private record Case(String name, Path dir, Supplier<VerificationResult> java) { }

    @Test
    void everyFigureMatchesTheScikitLearnReference() throws IOException {
        Path root = TestPaths.buildDir("eval/reference");
        List<Case> cases = new ArrayList<>();
        cases.add(embeddingCase(root, "random", SyntheticPairs.generate(1, 6000, 400, 6, 6, 128, 0.0, true), 10, Metric.DISTANCE, FlipMode.NONE));
        cases.add(embeddingCase(root, "easy", SyntheticPairs.generate(2, 6000, 500, 5, 5, 64, 3.0, false), 10, Metric.DISTANCE, FlipMode.NONE));
        cases.add(embeddingCase(root, "hard", SyntheticPairs.generate(3, 6000, 500, 5, 5, 128, 0.45, false), 10, Metric.DISTANCE, FlipMode.NONE));
        cases.add(embeddingCase(root, "hard-cosine", SyntheticPairs.generate(3, 6000, 500, 5, 5, 128, 0.45, false), 10, Metric.COSINE, FlipMode.NONE));
        // Few distinct embeddings shared by many images: many pairs with exactly equal distances, some at 0.
        cases.add(embeddingCase(root, "ties", SyntheticPairs.generate(4, 3000, 12, 8, 2, 16, 0.8, false), 10, Metric.DISTANCE, FlipMode.NONE));
        // Pair counts that do not divide evenly: folds of different sizes.
        cases.add(embeddingCase(root, "odd-1003", SyntheticPairs.generate(5, 1003, 200, 4, 4, 32, 1.0, false), 10, Metric.DISTANCE, FlipMode.NONE));
        cases.add(embeddingCase(root, "odd-7-folds", SyntheticPairs.generate(6, 997, 200, 4, 4, 32, 1.2, true), 7, Metric.DISTANCE, FlipMode.NONE));
        // Folds of two or three pairs, some with one class only.
        cases.add(embeddingCase(root, "tiny", SyntheticPairs.generate(7, 23, 10, 3, 3, 8, 1.0, true), 10, Metric.DISTANCE, FlipMode.NONE));
        for (FlipMode flip : List.of(FlipMode.SUM, FlipMode.MEAN, FlipMode.CONCAT)) {
            cases.add(embeddingCase(root, "flip-" + flip.cliName(), SyntheticPairs.generate(8, 2000, 300, 4, 4, 64, 0.55, false), 10, Metric.DISTANCE, flip));
        }
        cases.add(gridCase(root, "grid-values", 9, 3000));
        cases.add(gridCase(root, "grid-values-small", 10, 257));

        Path python = Python.venv("verification", "reference/requirements-verification.txt");
        List<String> dirs = cases.stream().map(c -> c.dir().toString()).toList();
        Python.script(python, "reference/verification_reference.py", dirs.toArray(String[]::new));

        for (Case c : cases) {
            VerificationResult java = c.java().get();
            JsonObject ref = new JsonParser().parse(Files.readString(c.dir().resolve("reference.json"))).getAsJsonObject();
            JsonObject out = new JsonParser().parse(java.toJson()).getAsJsonObject();
            String n = c.name() + ": ";
            assertEquals(ref.get("pairs").getAsInt(), out.get("pairs").getAsInt(), n + "pairs");
            for (String key : List.of("acc_mean", "acc_std", "val", "val_std", "far")) {
                assertEquals(ref.get(key).getAsDouble(), out.get(key).getAsDouble(), 1e-9, n + key);
            }
            assertEquals(ref.get("auc").getAsDouble(), out.get("auc").getAsDouble(), 1e-6, n + "auc");
            assertEquals(ref.get("eer").getAsDouble(), out.get("eer").getAsDouble(), 1e-4, n + "eer");
            assertArray(ref.getAsJsonArray("fold_acc"), toArray(out.getAsJsonArray("fold_acc")), n + "fold_acc");
            assertArray(ref.getAsJsonArray("fold_threshold"), toArray(out.getAsJsonArray("fold_threshold")), n + "fold_threshold");
            assertArray(ref.getAsJsonArray("fold_val"), java.foldVal(), n + "fold_val");
            assertArray(ref.getAsJsonArray("fold_far"), java.foldFar(), n + "fold_far");
            assertArray(ref.getAsJsonArray("fold_val_threshold"), java.foldValThreshold(), n + "fold_val_threshold");
            assertArray(ref.getAsJsonArray("roc_tpr"), java.roc().tpr(), n + "roc_tpr");
            assertArray(ref.getAsJsonArray("roc_fpr"), java.roc().fpr(), n + "roc_fpr");
            System.out.println(c.name() + ": " + java);
        }

        // The sets span the range, so agreement is not agreement on a degenerate figure.
        Map<String, VerificationResult> byName = new LinkedHashMap<>();
        for (Case c : cases) byName.put(c.name(), c.java().get());
        assertTrue(byName.get("random").accuracyMean() < 0.6, "random is near chance");
        assertTrue(byName.get("easy").accuracyMean() > 0.99, "easy is near perfect");
        double hard = byName.get("hard").accuracyMean();
        assertTrue(hard > 0.7 && hard < 0.97, "hard is in between: " + hard);
        assertTrue(byName.get("hard").val() > 0.01, "hard has a non-trivial VAL");
    }

    private static Case embeddingCase(Path root, String name, SyntheticPairs set, int folds, Metric metric, FlipMode flip) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        SyntheticPairs.writePairsFile(dir.resolve("pairs.txt"), set.pairs);
        EmbeddingsCsv.write(dir.resolve("embeddings.csv"), set.embeddings);
        String extra = "";
        if (flip != FlipMode.NONE) {
            EmbeddingsCsv.write(dir.resolve("mirrored.csv"), set.mirrored);
            extra = ", \"mirrored\": \"mirrored.csv\", \"flip\": \"" + flip.cliName() + "\"";
        }
        Files.writeString(dir.resolve("case.json"), "{\"folds\": " + folds + ", \"metric\": \"" + metric.cliName()
            + "\", \"far_target\": 0.001, \"pairs\": \"pairs.txt\", \"embeddings\": \"embeddings.csv\", \"ext\": \".jpg\"" + extra + "}\n");
        return new Case(name, dir, () -> {
            // The whole chain from the files: pairs parser, CSV reader, flip combination, matching, evaluation.
            List<Pair> pairs = set.pairs;
            if (set.pairs.size() % 20 == 0) {
                try {
                    pairs = LfwPairs.read(dir.resolve("pairs.txt")).pairs();
                } catch (DatasetException e) {
                    throw new AssertionError(e);
                }
                assertEquals(set.pairs, pairs, name + ": pairs read back");
            }
            Embeddings e = EmbeddingsCsv.read(dir.resolve("embeddings.csv"));
            if (flip != FlipMode.NONE) {
                Embeddings m = EmbeddingsCsv.read(dir.resolve("mirrored.csv"));
                Embeddings.Builder b = Embeddings.builder(flip.dimension(e.dimension()));
                for (String p : e.paths()) b.add(p, flip.combine(e.get(p), m.get(p)));
                e = b.build();
            }
            VerificationPairs vp = VerificationPairs.match(pairs, e, false, name);
            return VerificationEvaluator.standard().withFolds(folds).withMetric(metric).evaluate(vp);
        });
    }

    /** Distances placed exactly on (and next to) the 0.01 and 0.001 grids: strict "<" and first-maximum ties. */
    private static Case gridCase(Path root, String name, long seed, int n) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            same[i] = rnd.nextInt(3) > 0 == rnd.nextInt(4) > 0;
            double base = same[i] ? 0.8 : 1.3;
            int kind = rnd.nextInt(3);
            if (kind == 0) d[i] = (int) Math.round((base + 0.4 * rnd.nextGaussian()) * 100) * 0.01;
            else if (kind == 1) d[i] = (int) Math.round((base + 0.4 * rnd.nextGaussian()) * 1000) * 0.001;
            else d[i] = base + 0.4 * rnd.nextGaussian();
            d[i] = Math.max(0, Math.min(3.99, d[i]));
            csv.append(d[i]).append(',').append(same[i] ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("distances.csv"), csv);
        Files.writeString(dir.resolve("case.json"), "{\"folds\": 10, \"far_target\": 0.001, \"distances\": \"distances.csv\"}\n");
        return new Case(name, dir, () -> VerificationEvaluator.standard().evaluateDistances(d, same));
    }

    private static double[] toArray(JsonArray a) {
        double[] x = new double[a.size()];
        for (int i = 0; i < x.length; i++) x[i] = a.get(i).getAsDouble();
        return x;
    }

    private static void assertArray(JsonArray expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + " length");
        for (int i = 0; i < actual.length; i++) assertEquals(expected.get(i).getAsDouble(), actual[i], 1e-9, what + "[" + i + "]");
    }
}
