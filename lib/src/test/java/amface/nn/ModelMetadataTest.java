package amface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.data.ZipEntries;
import amface.image.PixelNormalisation;
import amface.image.PixelNormalisation.ChannelOrder;
import amface.image.RgbImage;
import amface.testing.TestPaths;

/**
 * Model metadata: normalisation, flip and threshold survive a round trip; a file saved by amface before they
 * existed (4d183dd) loads with exactly the behaviour it had; the fingerprint ignores metadata and sees every weight.
 */
class ModelMetadataTest {
    /** Saved by {@code FaceModel.create(FaceModelTest.TINY).save(..)} at 4d183dd, with the embedding it gave then. */
    static final Path OLD_MODEL = TestPaths.projectRoot().resolve("lib/src/test/resources/models/tiny-resface-4d183dd.zip");
    private static final Path OLD_EMBEDDING = TestPaths.projectRoot().resolve("lib/src/test/resources/models/tiny-resface-4d183dd.embedding.txt");

    static final VerificationThreshold THRESHOLD = new VerificationThreshold(0.4125, 1e-3, 0.0013, 0.0021, 0.91, 0.03, 10, 6000,
        "mean", "abc", "lfw/pairs.txt");

    /** The fixed image the fixture's embedding was computed on. */
    private static RgbImage fixedImage() {
        byte[] px = new byte[24 * 28 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) ((i * 37 + 11) % 256);
        return new RgbImage(24, 28, px);
    }

    @Test
    void aModelFileFromBeforeTheMetadataLoadsWithTodaysBehaviour() throws Exception {
        FaceModel old = FaceModel.load(OLD_MODEL, FaceModelTest.TINY);
        assertEquals(ModelMetadata.DEFAULT, old.metadata());
        assertEquals(PixelNormalisation.AMFACE, old.normalisation());
        assertEquals("none", old.metadata().flip(), "embed's default flip");
        assertFalse(old.metadata().hasThreshold());
        String[] stored = Files.readAllLines(OLD_EMBEDDING).get(1).split(",");
        float[] then = new float[stored.length];
        for (int i = 0; i < then.length; i++) then[i] = Float.parseFloat(stored[i]);
        float[] now = old.embed(List.of(fixedImage()))[0];
        assertArrayEquals(then, now, 1e-6f, "the embedding amface computed when it saved the file");
    }

    @Test
    void theDefaultNormalisationIsBitForBitTheOldOne() {
        float[] table = PixelNormalisation.AMFACE.table();
        for (int v = 0; v < 256; v++) {
            assertEquals(Float.floatToIntBits((v - 127.5f) / 128f), Float.floatToIntBits(table[v]), "sample " + v);
        }
        assertEquals(ChannelOrder.RGB, PixelNormalisation.AMFACE.channelOrder(), "ImageTensors keeps RgbImage's order");
    }

    @Test
    void embedAppliesTheModelsOwnNormalisation() {
        FaceModel amface = FaceModel.create(FaceModelTest.TINY);
        RgbImage img = FaceModelTest.images(1, 24, 28, 5).get(0);
        // insightface's (x - 127.5) / 127.5, by hand, through the bare graph
        FaceModel insight = amface.withMetadata(ModelMetadata.DEFAULT.withNormalisation(PixelNormalisation.INSIGHTFACE));
        float[] manual = new float[24 * 28 * 3];
        for (int i = 0; i < manual.length; i++) manual[i] = (float) (((img.rgb()[i] & 0xff) - 127.5) / 127.5);
        INDArray x = Nd4j.create(manual, new long[] {1, 28, 24, 3}, 'c');
        float[] want = amface.graph().outputSingle(false, x).toFloatVector();
        assertArrayEquals(want, insight.embed(List.of(img))[0], 1e-6f);
        assertFalse(Arrays.equals(want, amface.embed(List.of(img))[0]), "a different normalisation gives different embeddings");
        // BGR: the model sees blue first, as if the image's red and blue had been swapped
        FaceModel bgr = amface.withMetadata(ModelMetadata.DEFAULT.withNormalisation(new PixelNormalisation(ChannelOrder.BGR, 127.5, 128)));
        byte[] swapped = img.rgb().clone();
        for (int i = 0; i < swapped.length; i += 3) { swapped[i] = img.rgb()[i + 2]; swapped[i + 2] = img.rgb()[i]; }
        assertArrayEquals(amface.embed(List.of(new RgbImage(24, 28, swapped)))[0], bgr.embed(List.of(img))[0], 1e-6f);
    }

    @Test
    void metadataRoundTripsThroughTheFile(@TempDir Path dir) {
        ModelMetadata meta = new ModelMetadata(new PixelNormalisation(ChannelOrder.BGR, 127.5, 127.5), "concat", THRESHOLD);
        Path file = dir.resolve("m.zip");
        FaceModel.create(FaceModelTest.TINY).withMetadata(meta).save(file);
        FaceModel back = FaceModel.load(file);
        assertEquals(meta, back.metadata());
        assertEquals(THRESHOLD, back.metadata().threshold());
        // saved again unchanged, loaded again
        back.save(file);
        assertEquals(meta, FaceModel.load(file).metadata());
    }

    @Test
    void storingMetadataRewritesOnlyTheMetadataEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.zip");
        Files.copy(OLD_MODEL, file);
        FaceModel old = FaceModel.load(file);
        String fp = old.fingerprint();
        FaceModel.storeMetadata(file, old.metadata().withThreshold(THRESHOLD).withFlip("mean"), fp);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
        Map<String, byte[]> before = ZipEntries.read(OLD_MODEL), after = ZipEntries.read(file);
        assertEquals(before.keySet(), after.keySet());
        for (String entry : before.keySet()) {
            if (!entry.equals(FaceModel.METADATA_ENTRY)) assertArrayEquals(before.get(entry), after.get(entry), entry + " untouched");
        }
        String props = new String(after.get(FaceModel.METADATA_ENTRY), StandardCharsets.UTF_8);
        assertTrue(props.contains("name=resface12-8c-28x24"), "the other keys are kept:\n" + props);
        FaceModel back = FaceModel.load(file);
        assertEquals(THRESHOLD, back.metadata().threshold());
        assertEquals("mean", back.metadata().flip());
        assertEquals(fp, back.fingerprint());
        // removing it again
        FaceModel.storeMetadata(file, back.metadata().withThreshold(null), null);
        assertNull(FaceModel.load(file).metadata().threshold());
    }

    @Test
    void aFileWhoseWeightsChangedIsNotOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.zip");
        Files.copy(OLD_MODEL, file);
        String loadedFingerprint = FaceModel.load(file).fingerprint();
        FaceModel other = FaceModel.load(file);
        other.graph().params().putScalar(0, other.graph().params().getFloat(0) + 0.5f);
        other.save(file); // another process (training, say) replaced the model meanwhile
        byte[] bytes = Files.readAllBytes(file);
        ModelFileException e = assertThrows(ModelFileException.class,
            () -> FaceModel.storeMetadata(file, ModelMetadata.DEFAULT.withThreshold(THRESHOLD), loadedFingerprint));
        assertTrue(e.getMessage().contains("changed since it was loaded") && e.getMessage().contains(file.toString()), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file), "nothing written");
    }

    @Test
    void fingerprintIsArchitectureAndWeightsOnly(@TempDir Path dir) {
        FaceModel old = FaceModel.load(OLD_MODEL);
        String fp = old.fingerprint();
        assertEquals(64, fp.length());
        // Pinned: the definition serves run folders, checkpoints and gallery indexes, so it must not drift.
        assertEquals(PINNED_FINGERPRINT, fp);
        assertEquals(fp, old.withMetadata(ModelMetadata.DEFAULT.withThreshold(THRESHOLD).withFlip("sum")
            .withNormalisation(PixelNormalisation.INSIGHTFACE)).fingerprint(), "metadata is not part of it");
        Path file = dir.resolve("m.zip");
        old.withMetadata(old.metadata().withThreshold(THRESHOLD)).save(file);
        assertEquals(fp, FaceModel.load(file).fingerprint(), "nor is the file it came from");
        INDArray params = old.graph().params();
        params.putScalar(params.length() / 2, params.getFloat(params.length() / 2) + 1e-3f);
        assertNotEquals(fp, old.fingerprint(), "one weight changed");
        params.putScalar(params.length() / 2, params.getFloat(params.length() / 2) - 1e-3f);
        assertNotEquals(fp, FaceModel.create(FaceModelTest.TINY.embeddingSize(17)).fingerprint(), "another architecture");
    }

    @Test
    void damagedMetadataIsAClearErrorNamingTheFileAndKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.zip");
        Map<String, byte[]> entries = ZipEntries.read(OLD_MODEL);
        String props = new String(entries.get(FaceModel.METADATA_ENTRY), StandardCharsets.UTF_8);
        entries.put(FaceModel.METADATA_ENTRY, (props + "threshold.similarity=0.5\nthreshold.targetFar=often\n").getBytes(StandardCharsets.UTF_8));
        ZipEntries.write(file, entries);
        ModelFileException e = assertThrows(ModelFileException.class, () -> FaceModel.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("threshold.targetFar"), e.getMessage());
        entries.put(FaceModel.METADATA_ENTRY, (props + "normalisation.channels=GBR\n").getBytes(StandardCharsets.UTF_8));
        ZipEntries.write(file, entries);
        e = assertThrows(ModelFileException.class, () -> FaceModel.load(file));
        assertTrue(e.getMessage().contains("normalisation.channels='GBR'"), e.getMessage());
    }

    private static final String PINNED_FINGERPRINT = "814e5a72c06a9349272478f83176b4a610626479534c354f0156904d1e56acbf";
}
