package amface.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.Progress;

/** The gallery, its two engines against a brute-force double-precision reference, and the on-disk index's failure modes. */
class GalleryIndexTest {
    private static final String MODEL_A = "a".repeat(64), MODEL_B = "b".repeat(64);

    @TempDir
    Path tmp;

    /** {@code people} identities with {@code each} noisy images around a random centre. */
    static Gallery clustered(int people, int each, int dim, long seed, boolean pooled) {
        Random r = new Random(seed);
        Gallery.Builder b = Gallery.builder(MODEL_A, "mean", dim).pooled(pooled);
        for (int p = 0; p < people; p++) {
            float[] c = new float[dim];
            for (int i = 0; i < dim; i++) c[i] = (float) r.nextGaussian();
            for (int k = 0; k < each; k++) {
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) v[i] = c[i] + 0.8f * (float) r.nextGaussian();
                b.add("person" + p, "person" + p + "/img" + k + ".jpg", v);
            }
        }
        return b.build();
    }

    static float[][] probes(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[][] q = new float[n][dim];
        for (float[] v : q) for (int i = 0; i < dim; i++) v[i] = (float) r.nextGaussian();
        return q;
    }

    /** Rows of the k best by brute force in double, ties by row. */
    static int[] bruteForce(Gallery g, float[] probe, int k) {
        double n = 0;
        for (float v : probe) n += (double) v * v;
        double[] s = new double[g.size()];
        for (int row = 0; row < g.size(); row++) {
            float[] v = g.vector(row);
            double d = 0;
            for (int i = 0; i < v.length; i++) d += (double) v[i] * probe[i];
            s[row] = d / Math.sqrt(n);
        }
        return java.util.stream.IntStream.range(0, g.size()).boxed()
            .sorted((a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b)).limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void bothExactKernelsAgreeWithBruteForce() {
        // 3 blocks of the gallery (the last partial) and more probes than one batch, to cross every boundary.
        Gallery g = clustered(2 * Gallery.BLOCK / 10 + 7, 10, 24, 1, false);
        assertTrue(g.size() > 2 * Gallery.BLOCK);
        float[][] q = probes(ExactSearch.PROBE_BATCH + 5, 24, 2);
        int k = 7;
        for (ExactSearch.Kernel kernel : List.of(ExactSearch.Kernel.ND4J, ExactSearch.Kernel.JAVA)) {   // the fp32 kernels; bf16: Bf16ExactSearchTest
            try (ExactSearch s = ExactSearch.of(g).withKernel(kernel)) {
                List<List<SearchHit>> hits = s.search(q, k);
                int agree = 0;
                for (int i = 0; i < q.length; i += 13) {
                    int[] want = bruteForce(g, q[i], k);
                    List<SearchHit> got = hits.get(i);
                    assertEquals(k, got.size());
                    for (int j = 0; j < k; j++) {
                        float[] v = g.vector(want[j]);
                        double ref = 0, n = 0;
                        for (int t = 0; t < v.length; t++) { ref += (double) v[t] * q[i][t]; n += (double) q[i][t] * q[i][t]; }
                        assertEquals(ref / Math.sqrt(n), got.get(j).score(), 1e-5, kernel + " probe " + i + " rank " + (j + 1));
                        if (got.get(j).entry().equals(g.entry(want[j]))) agree++;
                        assertEquals(j + 1, got.get(j).rank());
                    }
                }
                // float32 rounding may swap two near-equal scores; the scores above are checked exactly.
                assertTrue(agree >= 0.98 * (q.length / 13 + 1) * k, kernel + ": " + agree + " rows agree");
            }
        }
    }

    @Test
    void pooledTemplatesMergeExactlyAsIfPooledAtOnce() {
        int dim = 16;
        Random r = new Random(3);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) { float[] v = new float[dim]; for (int t = 0; t < dim; t++) v[t] = (float) r.nextGaussian() + 2; images.add(v); }
        Gallery.Builder all = Gallery.builder(MODEL_A, "none", dim).pooled(true), first = Gallery.builder(MODEL_A, "none", dim).pooled(true),
            rest = Gallery.builder(MODEL_A, "none", dim).pooled(true);
        for (int i = 0; i < 5; i++) {
            all.add("Ann", "Ann/" + i, images.get(i));
            (i < 2 ? first : rest).add("Ann", "Ann/" + i, images.get(i));
        }
        first.add("Bob", "Bob/0", images.get(0).clone());
        Gallery once = all.build();
        // the template is the mean of the normalised features, normalised
        double[] mean = new double[dim];
        for (float[] v : images) { double n = Vectors.norm(v, 0, dim); for (int t = 0; t < dim; t++) mean[t] += v[t] / n / 5; }
        double mn = Math.sqrt(Arrays.stream(mean).map(x -> x * x).sum());
        for (int t = 0; t < dim; t++) assertEquals(mean[t] / mn, once.vector(0)[t], 1e-6);
        assertEquals(mn, once.entry(0).meanNorm(), 1e-6);

        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> first.build().plus(rest.build(), false));
        assertTrue(dup.getMessage().contains("Ann") && dup.getMessage().contains("--merge"), dup.getMessage());
        Gallery merged = first.build().plus(rest.build(), true);
        assertEquals(2, merged.size());
        assertEquals(5, merged.entry(0).images());
        for (int t = 0; t < dim; t++) assertEquals(once.vector(0)[t], merged.vector(0)[t], 1e-6);
    }

    @Test
    void badGalleriesAndForeignProbesAreRefused() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Gallery.builder(MODEL_A, "mean", 4).build());
        assertTrue(empty.getMessage().contains("empty gallery"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gallery.builder(MODEL_A, "mean", 2).add("A", "A/1", new float[] {0, 0}));
        Gallery g = clustered(3, 2, 8, 4, false);
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> g.requireModel(MODEL_B, "probe.jpg"));
        assertTrue(foreign.getMessage().contains("bbbbbbbbbbbb") && foreign.getMessage().contains("aaaaaaaaaaaa"), foreign.getMessage());
        Gallery other = Gallery.builder(MODEL_B, "mean", 8).add("x", "x/1", probes(1, 8, 1)[0]).build();
        assertThrows(IllegalArgumentException.class, () -> g.plus(other, true));
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> g.without(g.identities()));
        assertTrue(all.getMessage().contains("empty"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.without(List.of("nobody")));
        try (ExactSearch s = ExactSearch.of(g)) {
            assertThrows(IllegalArgumentException.class, () -> s.search(new float[9], 1));
        }
    }

    @Test
    void indexRoundTripsAndHnswTracksAddAndRemove() throws IOException {
        Gallery g = clustered(300, 3, 32, 5, false);
        Path dir = tmp.resolve("gallery");
        GalleryFolder written = GalleryFolder.writer(dir).engine(GalleryFolder.Engine.HNSW).hnsw(new HnswIndex.Params(16, 100)).model("m.zip").write(g);
        GalleryFolder read = GalleryFolder.read(dir);
        assertEquals(GalleryFolder.Engine.HNSW, read.engine());
        assertEquals(g.entries(), read.gallery().entries());
        for (int row : new int[] {0, 17, g.size() - 1}) assertArrayEquals(g.vector(row), read.gallery().vector(row));
        float[][] q = new float[50][];
        for (int i = 0; i < q.length; i++) q[i] = g.vector(i * 17);
        assertTrue(recallAt1(read, q) >= 0.98);

        // remove 100 identities, add 50 new ones: the graph follows (ids, not rows)
        List<String> gone = g.identities().subList(0, 100);
        Gallery changed = g.without(gone).plus(renamed(clustered(50, 3, 32, 6, false), "new"), false);
        GalleryFolder.writer(dir).engine(GalleryFolder.Engine.HNSW).write(changed);
        GalleryFolder after = GalleryFolder.read(dir);
        assertEquals(changed.size(), after.gallery().size());
        try (SearchEngine h = after.engine(GalleryFolder.Engine.HNSW)) {
            for (int row = 0; row < changed.size(); row += 37) {
                SearchHit top = h.search(changed.vector(row), 1).get(0);
                assertFalse(gone.contains(top.identity()), "a removed identity was found");
                assertEquals(1.0, top.score(), 1e-5);
            }
        }
        assertEquals(1, listGenerationFiles(dir).stream().filter(n -> n.startsWith("hnsw-")).count(), "old generations removed: " + listGenerationFiles(dir));
        assertTrue(written.generation() < after.generation());
    }

    private static double recallAt1(GalleryFolder f, float[][] q) {
        try (SearchEngine h = f.engine(GalleryFolder.Engine.HNSW); SearchEngine e = f.engine(GalleryFolder.Engine.EXACT)) {
            List<List<SearchHit>> a = h.search(q, 1), b = e.search(q, 1);
            int same = 0;
            for (int i = 0; i < q.length; i++) if (a.get(i).get(0).entry().id() == b.get(i).get(0).entry().id()) same++;
            return same / (double) q.length;
        }
    }

    private static Gallery renamed(Gallery g, String prefix) {
        Gallery.Builder b = Gallery.builder(g.fingerprint(), g.flip(), g.dimension());
        for (int i = 0; i < g.size(); i++) b.add(prefix + g.entry(i).identity(), prefix + g.entry(i).source(), g.vector(i));
        return b.build();
    }

    private static List<String> listGenerationFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(GalleryFolder.MANIFEST)).sorted().toList();
        }
    }

    @Test
    void anInterruptedWriteLeavesTheOldIndexWhole() throws IOException {
        Path dir = tmp.resolve("gallery");
        Gallery g = clustered(40, 2, 16, 7, false);
        GalleryFolder.writer(dir).write(g);
        String manifest = Files.readString(dir.resolve(GalleryFolder.MANIFEST));
        // A rebuild stopped inside the HNSW build (as a kill or Ctrl-C would): the new generation's files are there, no manifest names them.
        Progress stop = new Progress() {
            @Override public void start(String task, long total) { }
            @Override public void update(long done, String detail) { throw new IllegalStateException("interrupted"); }
            @Override public void finish(String summary) { }
        };
        Gallery bigger = clustered(1200, 1, 16, 8, false);
        assertThrows(IllegalStateException.class, () -> GalleryFolder.writer(dir).engine(GalleryFolder.Engine.HNSW).progress(stop).write(bigger));
        assertTrue(listGenerationFiles(dir).stream().anyMatch(n -> n.startsWith("vectors-2")), "the stopped write left its files: " + listGenerationFiles(dir));
        assertEquals(manifest, Files.readString(dir.resolve(GalleryFolder.MANIFEST)));
        assertEquals(g.entries(), GalleryFolder.read(dir).gallery().entries());
        // the next write removes the leftovers and commits
        long gen = GalleryFolder.writer(dir).write(bigger).generation();
        assertEquals(bigger.size(), GalleryFolder.read(dir).gallery().size());
        assertEquals(List.of("entries-" + gen + ".tsv", "vectors-" + gen + ".f32"), listGenerationFiles(dir));
    }

    @Test
    void damagedIndexesAreClearErrors() throws IOException {
        Path dir = tmp.resolve("gallery");
        assertMessage(() -> GalleryFolder.read(dir), "no such gallery index folder");
        Files.createDirectories(dir);
        assertMessage(() -> GalleryFolder.read(dir), "not a gallery index");
        GalleryFolder f = GalleryFolder.writer(dir).write(clustered(5, 2, 8, 9, true));
        assertEquals(5, f.gallery().size());
        Path vectors = dir.resolve("vectors-" + f.generation() + ".f32");
        try (FileChannel ch = FileChannel.open(vectors, StandardOpenOption.WRITE)) { ch.truncate(ch.size() - 4); }
        assertMessage(() -> GalleryFolder.read(dir), "vectors-1.f32: 156 bytes");
        long gen = GalleryFolder.writer(dir).write(clustered(5, 2, 8, 9, true)).generation();   // a damaged index is replaced whole
        Path entries = dir.resolve("entries-" + gen + ".tsv");
        Files.writeString(entries, Files.readString(entries).replace("person1", "person9"));
        assertMessage(() -> GalleryFolder.read(dir), "entries-" + gen + ".tsv: checksum");
        Files.writeString(dir.resolve(GalleryFolder.MANIFEST), "format=amface-gallery-1\ngeneration=x\n");
        assertMessage(() -> GalleryFolder.read(dir), "generation is 'x'");
        assertMessage(() -> GalleryFolder.read(dir), "rebuild it");
        assertMessage(() -> GalleryFolder.writer(dir).write(clustered(2, 1, 8, 1, false)).engine(GalleryFolder.Engine.HNSW), "no HNSW graph");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expected) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), "'" + x.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void topKKeepsTheBestAndBreaksTiesByRow() {
        TopK t = new TopK(3);
        float[] s = {0.5f, 0.9f, 0.9f, 0.1f, 0.9f, 0.7f};
        t.offerAll(s, 0, s.length, 0);
        float[] out = new float[3];
        assertArrayEquals(new int[] {1, 2, 4}, t.sortedRows(out));
        assertArrayEquals(new float[] {0.9f, 0.9f, 0.9f}, out);
        assertEquals(Set.of(), Set.of());
    }
}
