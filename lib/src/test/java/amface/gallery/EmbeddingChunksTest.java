package amface.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.eval.Embeddings;

/**
 * A stopped embedding continues where it stopped: the chunks finished before the stop are taken from the folder,
 * only the rest is embedded, and the result equals an uninterrupted run; another key (model, images) starts over,
 * a damaged chunk is embedded again.
 */
class EmbeddingChunksTest {
    private static final int DIM = 5;

    @TempDir
    Path tmp;

    private static List<String> images(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add("p" + (i / 3) + "/img" + i + ".jpg");
        return out;
    }

    /** A deterministic embedder that counts what it embeds, leaves every 7th image out, and stops after {@code stopAfter} chunks. */
    private static final class Counting implements EmbeddingChunks.ChunkEmbedder {
        final List<String> embedded = new ArrayList<>();
        final int stopAfter;
        int chunks;

        Counting(int stopAfter) { this.stopAfter = stopAfter; }

        @Override
        public Embeddings embed(List<String> part, Map<String, String> leftOut) throws IOException {
            if (chunks++ == stopAfter) throw new IOException("stopped (as a kill would)");
            Embeddings.Builder b = Embeddings.builder(DIM);
            for (String rel : part) {
                int i = Integer.parseInt(rel.substring(rel.indexOf("img") + 3, rel.indexOf('.')));
                embedded.add(rel);
                if (i % 7 == 6) { leftOut.put(rel, rel + ": no face"); continue; }
                float[] v = new float[DIM];
                for (int j = 0; j < DIM; j++) v[j] = (float) Math.sin(i * 1.7 + j * 0.3);
                b.add(rel, v);
            }
            return b.build();
        }
    }

    private static void assertSame(Embeddings expected, Embeddings actual) {
        assertEquals(expected.paths(), actual.paths());
        for (String p : expected.paths()) assertArrayEquals(expected.get(p), actual.get(p), 0f, p);
    }

    @Test
    void aStoppedRunContinuesAndEndsEqualToAnUninterruptedOne() throws IOException {
        List<String> imgs = images(50);
        Map<String, String> leftUninterrupted = new LinkedHashMap<>();
        Embeddings uninterrupted = EmbeddingChunks.in(tmp.resolve("a"), "key").withChunkSize(8).embed(imgs, DIM, new Counting(-1), leftUninterrupted);
        assertEquals(50 - 7, uninterrupted.size());

        Path folder = tmp.resolve("b");
        Counting first = new Counting(3);
        assertThrows(IOException.class, () -> EmbeddingChunks.in(folder, "key").withChunkSize(8).embed(imgs, DIM, first, new LinkedHashMap<>()));
        assertEquals(24, first.embedded.size());

        Counting second = new Counting(-1);
        List<String> log = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>();
        EmbeddingChunks again = EmbeddingChunks.in(folder, "key").withChunkSize(8).withLog(log::add);
        Embeddings resumed = again.embed(imgs, DIM, second, left);
        assertEquals(imgs.subList(24, 50), second.embedded, "only the images after the finished chunks are embedded again");
        assertEquals(24, again.resumedImages());
        assertTrue(log.get(0).contains("resuming a stopped embedding: 3 finished chunks"), log.toString());
        assertSame(uninterrupted, resumed);
        assertEquals(leftUninterrupted, left, "the left-out images and their reasons survive the stop too");

        again.delete();
        assertFalse(Files.exists(folder));
    }

    @Test
    void anotherKeyStartsOverAndADamagedChunkIsEmbeddedAgain() throws IOException {
        List<String> imgs = images(20);
        Path folder = tmp.resolve("c");
        assertThrows(IOException.class, () -> EmbeddingChunks.in(folder, "model A").withChunkSize(8).embed(imgs, DIM, new Counting(2), new LinkedHashMap<>()));

        // the chunks of model A are no use to model B
        Counting b = new Counting(1);
        List<String> log = new ArrayList<>();
        assertThrows(IOException.class, () -> EmbeddingChunks.in(folder, "model B").withChunkSize(8).withLog(log::add).embed(imgs, DIM, b, new LinkedHashMap<>()));
        assertEquals(8, b.embedded.size(), "model B embeds from the first image");
        assertTrue(log.get(0).contains("starting the embedding over"), log.toString());

        // a chunk cut short (a disk that filled up, a bad copy) is embedded again, naming the file
        Path chunk = folder.resolve("chunk-000000.bin");
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(chunk, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Counting again = new Counting(-1);
        log.clear();
        Embeddings e = EmbeddingChunks.in(folder, "model B").withChunkSize(8).withLog(log::add).embed(imgs, DIM, again, new LinkedHashMap<>());
        assertEquals(imgs, again.embedded);
        assertTrue(log.stream().anyMatch(l -> l.contains("chunk-000000.bin: ends early")), log.toString());
        assertSame(EmbeddingChunks.in(tmp.resolve("d"), "k").withChunkSize(8).embed(imgs, DIM, new Counting(-1), new LinkedHashMap<>()), e);

        // a changed image costs its chunk only
        Path root = tmp.resolve("root");
        for (String rel : imgs) {
            Files.createDirectories(root.resolve(rel).getParent());
            Files.writeString(root.resolve(rel), rel);
        }
        Path f = tmp.resolve("files");
        EmbeddingChunks.in(f, "k").withFiles(root).withChunkSize(8).embed(imgs, DIM, new Counting(-1), new LinkedHashMap<>());
        Files.writeString(root.resolve(imgs.get(9)), "another face");
        Counting changed = new Counting(-1);
        log.clear();
        EmbeddingChunks.in(f, "k").withFiles(root).withChunkSize(8).withLog(log::add).embed(imgs, DIM, changed, new LinkedHashMap<>());
        assertEquals(imgs.subList(8, 16), changed.embedded);
        assertTrue(log.stream().anyMatch(l -> l.contains("chunk-000001.bin: some of its images changed")), log.toString());
        assertFalse(EmbeddingChunks.key("fp", "mean", "n", root, imgs).equals(EmbeddingChunks.key("fp2", "mean", "n", root, imgs)));
    }
}
