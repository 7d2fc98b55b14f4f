package amface.identification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devkit formats: lists, feature files written byte by byte, the protocol fed from them, and broken files. */
class MegaFaceListsTest {

    @Test
    void readsListsAndFeatureFilesAndRunsTheProtocolFromThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("facescrub.json"), "{\"id\": [\"Ann\", \"Ann\", \"Bob\", \"Bob\", \"Bob\"],"
            + " \"path\": [\"Ann/a1.jpg\", \"Ann/a2.jpg\", \"Bob/b1.jpg\", \"Bob/b2.jpg\", \"Bob/b3.jpg\"]}");
        StringBuilder d = new StringBuilder("{\"path\": [");
        Random rng = new Random(4);
        float[][] probes = new float[5][], distractors = new float[120][];
        for (int i = 0; i < 5; i++) probes[i] = new float[] {i < 2 ? 1 : -1, (float) rng.nextGaussian() * 0.2f, 0.3f};
        for (int i = 0; i < distractors.length; i++) {
            distractors[i] = new float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian()};
            d.append(i > 0 ? ", " : "").append("\"d/").append(i).append(".jpg\"");
        }
        Files.writeString(dir.resolve("megaface.json"), d.append("]}").toString());
        Path features = dir.resolve("features");
        String[] probePaths = {"Ann/a1.jpg", "Ann/a2.jpg", "Bob/b1.jpg", "Bob/b2.jpg", "Bob/b3.jpg"};
        for (int i = 0; i < 5; i++) write(features.resolve(probePaths[i] + "_feat.bin"), probes[i]);
        for (int i = 0; i < distractors.length; i++) write(features.resolve("d/" + i + ".jpg_feat.bin"), distractors[i]);

        MegaFaceLists.ImageList p = MegaFaceLists.readList(dir.resolve("facescrub.json"));
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, MegaFaceLists.labels(p));
        float[] back = MegaFaceLists.readFeature(features.resolve("Bob/b2.jpg_feat.bin"));
        assertArrayEquals(probes[3], back);
        MegaFaceLists.ImageList dl = MegaFaceLists.readList(dir.resolve("megaface.json"));
        MegaFaceProtocol.Result fromFiles = MegaFaceProtocol.of(MegaFaceLists.readFeatures(p, features, "_feat.bin"), MegaFaceLists.labels(p))
            .withSizes(10, 100).withBlockSize(7).run(MegaFaceLists.distractors(dl, features, "_feat.bin"));
        float[][] normalised = new float[5][];
        for (int i = 0; i < 5; i++) normalised[i] = TemplatePooling.normalise(probes[i]);
        float[][] dn = new float[distractors.length][];
        for (int i = 0; i < dn.length; i++) dn[i] = TemplatePooling.normalise(distractors[i]);
        MegaFaceProtocol.Result inMemory = MegaFaceProtocol.of(normalised, new int[] {0, 0, 1, 1, 1}).withSizes(10, 100).run(DistractorSource.of(dn));
        assertEquals(2 + 6, fromFiles.rankedPairs()); // Ann: 2 ordered pairs, Bob: 6
        assertEquals(1 + 3, fromFiles.genuinePairs());
        for (int i = 0; i < 2; i++) {
            assertEquals(inMemory.points().get(i).rank1(), fromFiles.points().get(i).rank1());
            assertEquals(inMemory.points().get(i).tar(), fromFiles.points().get(i).tar());
        }
        assertTrue(fromFiles.complete());
        MegaFaceProtocol.Result tooFew = MegaFaceProtocol.of(normalised, new int[] {0, 0, 1, 1, 1}).withSizes(10, 1000).run(DistractorSource.of(dn));
        assertEquals(1, tooFew.points().size());
        assertTrue(!tooFew.complete() && tooFew.summary().contains("ran out"));
    }

    @Test
    void brokenFilesAreNamed(@TempDir Path dir) throws IOException {
        Path truncated = dir.resolve("t.bin");
        Files.write(truncated, ByteBuffer.allocate(16 + 8).order(ByteOrder.LITTLE_ENDIAN).putInt(4).putInt(1).putInt(4).putInt(5).array());
        IOException e = assertThrows(IOException.class, () -> MegaFaceLists.readFeature(truncated));
        assertTrue(e.getMessage().contains("t.bin") && e.getMessage().contains("truncated"), e.getMessage());
        Path doubles = dir.resolve("d.bin");
        Files.write(doubles, ByteBuffer.allocate(16 + 16).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(1).putInt(8).putInt(6).array());
        assertTrue(assertThrows(IOException.class, () -> MegaFaceLists.readFeature(doubles)).getMessage().contains("CV_32F"));
        Path json = dir.resolve("l.json");
        Files.writeString(json, "{\"path\": [\"a\"], \"id\": [\"x\", \"y\"]}");
        assertTrue(assertThrows(IOException.class, () -> MegaFaceLists.readList(json)).getMessage().contains("1 paths but 2 ids"));
        Files.writeString(json, "{\"path\": [\"a\"");
        assertTrue(assertThrows(IOException.class, () -> MegaFaceLists.readList(json)).getMessage().contains("l.json"));
        assertTrue(assertThrows(IOException.class, () -> MegaFaceLists.readList(dir.resolve("none.json"))).getMessage().contains("none.json"));
    }

    private static void write(Path file, float[] v) throws IOException {
        Files.createDirectories(file.getParent());
        MegaFaceLists.writeFeature(file, v);
    }
}
