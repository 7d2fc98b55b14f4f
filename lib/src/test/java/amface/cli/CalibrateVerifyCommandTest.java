package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.align.MtcnnDetector;
import amface.cli.EvalCommandTest.Run;
import amface.data.LfwPairs;
import amface.data.Progress;
import amface.data.ZipEntries;
import amface.eval.EmbeddingExtractor;
import amface.eval.FarThreshold;
import amface.eval.VerificationPairs;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.VerificationThreshold;
import amface.pipeline.FacePipeline;
import amface.pipeline.PhotoPairSimilarities;
import amface.pipeline.PhotoPairs;
import amface.testing.TestPaths;

/**
 * {@code amface calibrate} and {@code amface verify} end to end on deepface's labelled photo pairs (real photos,
 * MTCNN) with a small untrained model: what calibrate stores is what the library computes on the same pairs, verify
 * decides by it, and every bad input is one line naming the file. An untrained model separates people barely better
 * than chance, so the accuracy printed here is a baseline, not a claim.
 */
class CalibrateVerifyCommandTest {
    private static final BackboneSpec SMALL = BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 32, 64).input(28, 24).embeddingSize(16);

    /** Faces are searched on 640-pixel copies: the portraits' faces are large, and CI's time is not. */
    private static final String DETECT = "640";

    @TempDir Path dir;

    private Path newModel() {
        Path file = dir.resolve("model.zip");
        FaceModel.create(SMALL).save(file);
        return file;
    }

    @Test
    void calibrateStoresTheThresholdAndVerifyDecidesByIt() throws Exception {
        Path master = TestPaths.sharedData("photos/deepface/master.csv");
        Path weights = TestPaths.sharedData("mtcnn");
        Path model = newModel();
        Map<String, byte[]> before = ZipEntries.read(model);
        Path a = master.resolveSibling("img20.jpg"), b = master.resolveSibling("img21.jpg"), c = master.resolveSibling("img2.jpg");

        Run none = EvalCommandTest.run("verify", model.toString(), a.toString(), b.toString(), "--weights", weights.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains(model + " has no calibrated threshold: run amface calibrate " + model), none.err());

        Run cal = EvalCommandTest.run("calibrate", model.toString(), "--pairs", master.toString(), "--far", "1e-2", "--weights", weights.toString(),
            "--detect-size", DETECT);
        assertEquals(0, cal.code(), cal.err());
        assertTrue(cal.out().contains("Threshold at FAR 1e-02: threshold "), cal.out());
        Map<String, byte[]> after = ZipEntries.read(model);
        for (String entry : before.keySet()) {
            if (!entry.equals(FaceModel.METADATA_ENTRY)) assertArrayEquals(before.get(entry), after.get(entry), entry + " untouched");
        }
        FaceModel loaded = FaceModel.load(model);
        VerificationThreshold stored = loaded.metadata().threshold();
        assertNotNull(stored);
        assertEquals("none", stored.flip());
        assertEquals(loaded.fingerprint(), stored.fingerprint());
        assertEquals(1e-2, stored.targetFar());

        // The library on the same pairs: the stored threshold is exactly what FarThreshold picks.
        PhotoPairSimilarities sims;
        try (MtcnnDetector mtcnn = MtcnnDetector.builder().weights(weights).build()) {
            FacePipeline pipeline = FacePipeline.of(loaded, mtcnn).withDetectionSize(Integer.parseInt(DETECT));
            sims = PhotoPairSimilarities.of(pipeline, PhotoPairs.read(master), Progress.NONE);
            FarThreshold t = FarThreshold.calibrate(sims.similarity(), sims.same(), 10, 1e-2);
            assertEquals(t.threshold(), stored.similarity(), 0);
            assertEquals(t.tar(), stored.tar(), 0);
            assertEquals(sims.pairs().size(), stored.pairs());

            for (Path other : List.of(b, c)) {
                Run v = EvalCommandTest.run("verify", model.toString(), a.toString(), other.toString(), "--json", "--weights", weights.toString(),
                    "--detect-size", DETECT);
                assertEquals(0, v.code(), v.err());
                JsonObject j = new JsonParser().parse(v.out()).getAsJsonObject();
                double s = j.get("similarity").getAsDouble();
                assertEquals(pipeline.embed(a).similarity(pipeline.embed(other)), s, 1e-6, "verify's similarity is the pipeline's");
                assertEquals(stored.similarity(), j.get("threshold").getAsDouble(), 1e-6);
                assertEquals(s > j.get("threshold").getAsDouble(), j.get("same").getAsBoolean());
                assertEquals("model", j.get("threshold_from").getAsString());
            }
        }
        int correct = 0;
        for (int i = 0; i < sims.similarity().length; i++) if ((sims.similarity()[i] > stored.similarity()) == sims.same()[i]) correct++;
        System.out.printf("untrained model on %d deepface pairs: accuracy %.3f at the stored threshold (%s)%n",
            sims.similarity().length, (double) correct / sims.similarity().length, stored.summary());

        Run text = EvalCommandTest.run("verify", "--model", model.toString(), a.toString(), a.toString(), "--weights", weights.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith("same person: " + a + " vs " + a), text.out());
        assertTrue(text.out().contains("similarity 1.0000, threshold "), text.out());

        Run flip = EvalCommandTest.run("verify", model.toString(), a.toString(), b.toString(), "--flip", "sum", "--weights", weights.toString());
        assertEquals(2, flip.code());
        assertTrue(flip.err().contains("calibrated with flip none, not sum"), flip.err());
        Run option = EvalCommandTest.run("verify", model.toString(), a.toString(), b.toString(), "--flip", "sum", "--threshold", "0.999999",
            "--weights", weights.toString());
        assertEquals(0, option.code(), option.err());
        assertTrue(option.out().contains("threshold 1.0000 (--threshold)"), option.out());
    }

    @Test
    void calibrateOnLfwPairsOverAlignedImages() throws Exception {
        // 10 people x 4 aligned 24x28 images: each person's images are noisy copies of one random face.
        Path root = dir.resolve("aligned"), pairs = dir.resolve("pairs.txt");
        EvalCommandTest.writeInputs(pairs, dir.resolve("unused.csv"));
        Random rnd = new Random(5);
        for (int p = 0; p < 10; p++) {
            byte[] base = new byte[24 * 28 * 3];
            rnd.nextBytes(base);
            for (int i = 1; i <= 4; i++) {
                byte[] px = base.clone();
                for (int k = 0; k < px.length; k++) px[k] = (byte) Math.max(0, Math.min(255, (px[k] & 0xff) + rnd.nextInt(41) - 20));
                Files.createDirectories(root.resolve("P" + p));
                ImageWriter.write(new RgbImage(24, 28, px), root.resolve(String.format("P%d/P%d_%04d.png", p, p, i)));
            }
        }
        Path model = newModel();
        Run cal = EvalCommandTest.run("calibrate", "--model", model.toString(), "--pairs", pairs.toString(), "--data", root.toString(),
            "--ext", "png", "--far", "0.1", "--flip", "mean");
        assertEquals(0, cal.code(), cal.err());
        FaceModel loaded = FaceModel.load(model);
        assertEquals("mean", loaded.metadata().flip(), "the flip mode calibrated with becomes the model's");
        List<LfwPairs.Pair> list = LfwPairs.read(pairs).pairs();
        VerificationPairs vp = VerificationPairs.match(list, "png", EmbeddingExtractor.of(loaded).withFlip(amface.eval.FlipMode.MEAN)
            .extract(root, EmbeddingExtractor.imagesOf(list, "png")), false, "test");
        FarThreshold t = FarThreshold.calibrate(vp.similarities(), vp.same(), 10, 0.1);
        // Batches of another size round differently in oneDNN (1e-9), so not bit for bit.
        assertEquals(t.threshold(), loaded.metadata().threshold().similarity(), 1e-6);
        assertEquals(pairs.toString(), loaded.metadata().threshold().source());
    }

    @Test
    void badInputIsOneLineNamingTheFileAndWritesNothing() throws Exception {
        Path weights = TestPaths.sharedData("mtcnn");
        Path model = newModel();
        byte[] bytes = Files.readAllBytes(model);
        Path grey = dir.resolve("grey.png");
        ImageWriter.write(new RgbImage(120, 100, new byte[120 * 100 * 3]), grey);
        Path face = TestPaths.sharedData("photos/deepface/img20.jpg");
        Run r = EvalCommandTest.run("verify", model.toString(), face.toString(), grey.toString(), "--threshold", "0.5", "--weights", weights.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(grey + ": no face found"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, "file_x,file_y,Decision\nimg20.jpg,img21.jpg,Maybe\n");
        r = EvalCommandTest.run("calibrate", model.toString(), "--pairs", csv.toString(), "--weights", weights.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(csv + ":2: decision 'Maybe' is neither Yes nor No"), r.err());
        r = EvalCommandTest.run("calibrate", model.toString(), "--pairs", csv.toString(), "--far", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--far must be in (0, 1), got 1.0"), r.err());
        r = EvalCommandTest.run("verify", model.toString(), face.toString(), face.toString(), "--threshold", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threshold must be a cosine similarity in [-1, 1], got 2.0"), r.err());
        r = EvalCommandTest.run("verify", dir.resolve("absent.zip").toString(), face.toString(), face.toString(), "--threshold", "0.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no model file at " + dir.resolve("absent.zip")), r.err());
        assertArrayEquals(bytes, Files.readAllBytes(model), "the model file is untouched");

        // A threshold carried over to other weights (say, by saving a fine-tuned model with the old metadata).
        Path stale = dir.resolve("stale.zip");
        FaceModel m = FaceModel.load(model);
        m.withMetadata(m.metadata().withThreshold(new VerificationThreshold(0.5, 1e-3, 0, 0, 0.9, 0, 10, 6000, "none", "0123456789abcdef", "x")))
            .save(stale);
        r = EvalCommandTest.run("verify", stale.toString(), face.toString(), face.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("was calibrated for other weights (0123456789ab, the file holds "), r.err());
    }

    @Test
    void embedPhotosGoesThroughTheSamePipeline() throws Exception {
        Path weights = TestPaths.sharedData("mtcnn");
        Path root = dir.resolve("photos");
        Path photo = TestPaths.sharedData("photos/deepface/img20.jpg");
        Files.createDirectories(root.resolve("Someone"));
        Files.createDirectories(root.resolve("Nobody"));
        Files.copy(photo, root.resolve("Someone/Someone_0001.jpg"));
        ImageWriter.write(new RgbImage(120, 100, new byte[120 * 100 * 3]), root.resolve("Nobody/Nobody_0001.jpg"));
        Path model = newModel(), csv = dir.resolve("emb.csv");
        Run r = EvalCommandTest.run("embed", "--model", model.toString(), "--data", root.toString(), "--photos", "--flip", "sum",
            "--out", csv.toString(), "--weights", weights.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("left out " + root.resolve("Nobody/Nobody_0001.jpg") + ": no face found"), r.out());
        amface.eval.Embeddings e = amface.eval.EmbeddingsCsv.read(csv);
        assertEquals(List.of("Someone/Someone_0001.jpg"), e.paths());
        try (MtcnnDetector mtcnn = MtcnnDetector.builder().weights(weights).build()) {
            float[] want = FacePipeline.of(FaceModel.load(model), mtcnn).withFlip(amface.eval.FlipMode.SUM).embed(photo).embedding();
            assertArrayEquals(want, e.get("Someone/Someone_0001.jpg"), 1e-6f);
        }
    }

    @Test
    void evalReportsTheThresholdAtEachTargetFar() throws Exception {
        Path pairs = dir.resolve("pairs.txt"), csv = dir.resolve("emb.csv");
        EvalCommandTest.writeInputs(pairs, csv);
        Run r = EvalCommandTest.run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--far", "0.1,0.2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Threshold at FAR 1e-01: threshold ") && r.out().contains("Threshold at FAR 2e-01: threshold "), r.out());
        r = EvalCommandTest.run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--far", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("target FAR must be in [0, 1), got 1.5"), r.err());
    }
}
