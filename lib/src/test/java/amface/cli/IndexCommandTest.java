package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.cli.EvalCommandTest.Run;
import amface.gallery.Gallery;
import amface.gallery.GalleryFolder;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.io.AtomicFile;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.testing.TestPaths;

/**
 * {@code amface index build|add|remove} and {@code amface identify} end to end with small untrained models: the
 * index holds what {@code amface embed} computes, a photo in the gallery finds itself at rank 1 with similarity 1,
 * and every misuse (no face, another model, a duplicate identity, an empty or damaged gallery, a kill during a
 * build) is one clear line that loses nothing.
 */
class IndexCommandTest {
    private static final BackboneSpec SPEC = BackboneSpec.resFace(1, 1, 1, 1).input(24, 20).channels(4, 4, 8, 8).embeddingSize(16).dropoutKeep(1);

    @TempDir Path dir;

    /** A model of the 96:112 shape faces are aligned to (photos go through MTCNN and the template). */
    private static final BackboneSpec PHOTO_SPEC = BackboneSpec.resFace(1, 1, 1, 1).input(28, 24).channels(4, 4, 8, 8).embeddingSize(16).dropoutKeep(1);

    private Path model(String name, long seed) {
        return model(name, seed, SPEC);
    }

    private Path model(String name, long seed, BackboneSpec spec) {
        Path f = dir.resolve(name);
        new FaceModel(spec.embeddingGraph(org.nd4j.linalg.api.buffer.DataType.FLOAT, seed), spec, "", List.of()).save(f);
        return f;
    }

    private Path alignedData(String name, int people, int each, long seed) throws IOException {
        Path root = dir.resolve(name);
        Random rnd = new Random(seed);
        for (int p = 0; p < people; p++) {
            for (int i = 1; i <= each; i++) {
                byte[] rgb = new byte[24 * 20 * 3];
                rnd.nextBytes(rgb);
                ImageWriter.write(new RgbImage(20, 24, rgb), root.resolve(name + p + "/" + name + p + "_000" + i + ".png"));
            }
        }
        return root;
    }

    private static void assertRefused(Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "'" + r.err().strip() + "' should contain '" + expected + "'");
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aBenchTooLargeForTheHeapSaysSoBeforeAllocating() {
        // 200 M x 512 floats: far beyond any test JVM's heap; refused at once, naming the heap it would need
        assertRefused(EvalCommandTest.run("index", "bench", "--sizes", "200000000", "--no-hnsw"), "GB of Java heap");
    }

    @Test
    void buildAddRemoveFromAlignedImagesAndCsv() throws IOException {
        Path m = model("model.zip", 1), other = model("other.zip", 2);
        Path data = alignedData("P", 6, 3, 1);
        Path g = dir.resolve("gallery");
        Run b = EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "none");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("18 faces of 6 identities, 16 values each"), b.out());

        // the same vectors as amface embed's CSV, normalised
        Path csv = dir.resolve("emb.csv");
        assertEquals(0, EvalCommandTest.run("embed", "--model", m.toString(), "--data", data.toString(), "--flip", "none", "--out", csv.toString()).code());
        Path g2 = dir.resolve("gallery-csv");
        Run fromCsv = EvalCommandTest.run("index", "build", m.toString(), "--embeddings", csv.toString(), "--out", g2.toString(), "--flip", "none", "--pool");
        assertEquals(0, fromCsv.code(), fromCsv.err());
        Gallery a = GalleryFolder.read(g).gallery(), pooled = GalleryFolder.read(g2).gallery();
        assertEquals(18, a.size());
        assertEquals(6, pooled.size());
        assertEquals(FaceModel.load(m).fingerprint(), a.fingerprint());
        float[] e = amface.eval.EmbeddingsCsv.read(csv).get(a.entry(4).source());
        double n = 0;
        for (float v : e) n += (double) v * v;
        for (int i = 0; i < e.length; i++) assertEquals(e[i] / Math.sqrt(n), a.vector(4)[i], 1e-5);

        // add: a duplicate identity needs --merge, another model is refused, new people go in
        assertRefused(EvalCommandTest.run("index", "add", "--index", g.toString(), "--model", m.toString(), "--data", data.toString()), "--merge");
        assertRefused(EvalCommandTest.run("index", "add", "--index", g.toString(), "--model", other.toString(), "--data", alignedData("Q", 2, 2, 3).toString()),
            "but the gallery was built by model");
        Run add = EvalCommandTest.run("index", "add", "--index", g.toString(), "--model", m.toString(), "--data", dir.resolve("Q").toString());
        assertEquals(0, add.code(), add.err());
        assertEquals(22, GalleryFolder.read(g).gallery().size());
        Run merged = EvalCommandTest.run("index", "add", "--index", g2.toString(), "--model", m.toString(), "--data", alignedData("R", 1, 2, 4).toString(), "--merge");
        assertEquals(0, merged.code(), merged.err());

        // remove
        assertRefused(EvalCommandTest.run("index", "remove", "--index", g.toString(), "Nobody"), "not in the gallery: Nobody");
        List<String> all = new ArrayList<>(GalleryFolder.read(g).gallery().identities());
        List<String> args = new ArrayList<>(List.of("index", "remove", "--index", g.toString()));
        args.addAll(all);
        assertRefused(EvalCommandTest.run(args.toArray(String[]::new)), "would leave the gallery empty");
        assertEquals(0, EvalCommandTest.run("index", "remove", "--index", g.toString(), "P0", "Q1").code());
        assertEquals(22 - 3 - 2, GalleryFolder.read(g).gallery().size());

        // empty input, damaged index
        Files.createDirectories(dir.resolve("empty"));
        assertRefused(EvalCommandTest.run("index", "build", m.toString(), "--data", dir.resolve("empty").toString(), "--out", dir.resolve("g3").toString()), "empty");
        Path vectors;
        try (Stream<Path> s = Files.list(g)) { vectors = s.filter(p -> p.getFileName().toString().startsWith("vectors-")).findFirst().orElseThrow(); }
        try (FileChannel ch = FileChannel.open(vectors, StandardOpenOption.WRITE)) { ch.truncate(100); }
        assertRefused(EvalCommandTest.run("index", "remove", "--index", g.toString(), "P1"), "damaged");
        assertRefused(EvalCommandTest.run("identify", "--index", g.toString(), data.resolve("P1/P1_0001.png").toString()), "damaged");
        assertRefused(EvalCommandTest.run("identify", "--index", dir.resolve("nothing").toString(), "x.jpg"), "no such gallery index");
    }

    @Test
    void identifyFindsAPhotoOfTheGalleryAndNamesAPhotoWithoutAFace() throws IOException {
        Path photos = TestPaths.sharedData("photos/deepface");
        Path weights = TestPaths.sharedData("mtcnn");
        Path m = model("model.zip", 3, PHOTO_SPEC);
        Path people = dir.resolve("people");
        String[][] who = {{"Ann", "img1.jpg"}, {"Ann", "img2.jpg"}, {"Bob", "img20.jpg"}, {"Cid", "img30.jpg"}};
        for (String[] w : who) {
            Files.createDirectories(people.resolve(w[0]));
            Files.copy(photos.resolve(w[1]), people.resolve(w[0]).resolve(w[1]));
        }
        Path g = dir.resolve("gallery");
        Run b = EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", people.toString(), "--photos", "--out", g.toString(),
            "--weights", weights.toString(), "--detect-size", "640");
        assertEquals(0, b.code(), b.err());
        Path noFace = dir.resolve("noise.png");
        byte[] grey = new byte[64 * 64 * 3];
        java.util.Arrays.fill(grey, (byte) 128);
        ImageWriter.write(new RgbImage(64, 64, grey), noFace);
        Run id = EvalCommandTest.run("identify", "--index", g.toString(), noFace.toString(), photos.resolve("img20.jpg").toString(), "--top", "3", "--json",
            "--weights", weights.toString(), "--detect-size", "640");
        assertEquals(1, id.code(), id.err());
        String[] lines = id.out().strip().split("\n");
        assertEquals(2, lines.length, id.out());
        JsonObject bad = new JsonParser().parse(lines[0]).getAsJsonObject();
        assertTrue(bad.get("error").getAsString().contains("no face found"), lines[0]);
        JsonObject found = new JsonParser().parse(lines[1]).getAsJsonObject();
        JsonObject first = found.getAsJsonArray("matches").get(0).getAsJsonObject();
        assertEquals("Bob", first.get("identity").getAsString());
        assertEquals(1.0, first.get("score").getAsDouble(), 1e-4);
        assertEquals(3, found.getAsJsonArray("matches").size());

        // Ann's two photos as one template: its score against each of them is (1 + a.b) / |a + b| for their gallery vectors a, b
        Run pooled = EvalCommandTest.run("identify", "--index", g.toString(), "--pool", photos.resolve("img1.jpg").toString(), photos.resolve("img2.jpg").toString(),
            "--json", "--top", "4", "--weights", weights.toString(), "--detect-size", "640");
        assertEquals(0, pooled.code(), pooled.err());
        JsonObject t = new JsonParser().parse(pooled.out().strip()).getAsJsonObject();
        assertEquals(2, t.get("images").getAsInt());
        Gallery gal = GalleryFolder.read(g).gallery();
        float[] a = null, c = null;
        for (int i = 0; i < gal.size(); i++) {
            if (gal.entry(i).source().endsWith("img1.jpg")) a = gal.vector(i);
            if (gal.entry(i).source().endsWith("img2.jpg")) c = gal.vector(i);
        }
        double ab = 0, sum = 0;
        for (int i = 0; i < a.length; i++) { ab += (double) a[i] * c[i]; sum += ((double) a[i] + c[i]) * ((double) a[i] + c[i]); }
        double expected = (1 + ab) / Math.sqrt(sum);
        for (int r = 0; r < 2; r++) {
            JsonObject hit = t.getAsJsonArray("matches").get(r).getAsJsonObject();
            assertEquals("Ann", hit.get("identity").getAsString());
            assertEquals(expected, hit.get("score").getAsDouble(), 2e-5);
        }

        // bf16 exact search where the CPU has it: the same match, its score within 2^-8; elsewhere a clear refusal
        Run half = EvalCommandTest.run("identify", "--index", g.toString(), photos.resolve("img20.jpg").toString(), "--json", "--precision", "bf16",
            "--weights", weights.toString(), "--detect-size", "640");
        if (amface.gallery.ExactSearch.bf16Problem() == null) {
            assertEquals(0, half.code(), half.err());
            JsonObject h = new JsonParser().parse(half.out().strip()).getAsJsonObject().getAsJsonArray("matches").get(0).getAsJsonObject();
            assertEquals("Bob", h.get("identity").getAsString());
            assertEquals(1.0, h.get("score").getAsDouble(), Math.pow(2, -8));
        } else {
            assertRefused(half, "--precision bf16: not available here");
        }
        assertRefused(EvalCommandTest.run("identify", "--index", g.toString(), "--precision", "fp16", "x.jpg"), "unknown precision 'fp16'");

        Run text = EvalCommandTest.run("identify", "--index", g.toString(), photos.resolve("img1.jpg").toString(), "--weights", weights.toString(), "--detect-size", "640");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(" 1. Ann "), text.out());
        assertRefused(EvalCommandTest.run("identify", "--index", g.toString(), "--model", model("other.zip", 4, PHOTO_SPEC).toString(), photos.resolve("img1.jpg").toString(),
            "--weights", weights.toString()), "but the gallery was built by model");
    }

    /** The mean of unit vectors, made unit: the IJB template, computed here apart from the library. */
    private static double[] template(List<float[]> members) {
        double[] sum = new double[members.get(0).length];
        for (float[] v : members) {
            double n = 0;
            for (float x : v) n += (double) x * x;
            for (int i = 0; i < v.length; i++) sum[i] += v[i] / Math.sqrt(n);
        }
        double n = 0;
        for (double x : sum) n += x * x;
        for (int i = 0; i < sum.length; i++) sum[i] /= Math.sqrt(n);
        return sum;
    }

    /**
     * {@code --flip mean --pool}: each identity is one template, the mean of its images' normalised flip-combined
     * embeddings, equal to what amface embed's CSV gives pooled here; {@code add --merge} pools the new images in.
     */
    @Test
    void flipPooledTemplatesFromTheCli() throws IOException {
        Path m = model("model.zip", 7);
        Path data = alignedData("F", 3, 3, 7), more = alignedData("G", 1, 2, 8);
        Path g = dir.resolve("gallery"), csv = dir.resolve("emb.csv"), moreCsv = dir.resolve("more.csv");
        assertEquals(0, EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "mean", "--pool").code());
        assertEquals(0, EvalCommandTest.run("embed", "--model", m.toString(), "--data", data.toString(), "--flip", "mean", "--out", csv.toString()).code());
        amface.eval.Embeddings e = amface.eval.EmbeddingsCsv.read(csv);
        Gallery pooled = GalleryFolder.read(g).gallery();
        assertTrue(pooled.pooled());
        assertEquals("mean", pooled.flip());
        assertEquals(3, pooled.size());
        for (int row = 0; row < 3; row++) {
            String who = pooled.entry(row).identity();
            List<float[]> members = e.paths().stream().filter(p -> p.startsWith(who + "/")).map(e::get).toList();
            assertEquals(3, members.size());
            double[] want = template(members);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], pooled.vector(row)[i], 1e-5, who);
        }
        // merge two more images into F0 (renamed from G0): its template becomes the mean over all five
        Path f0 = more.resolve("G0"), renamed = more.resolve("F0");
        Files.move(f0, renamed);
        Run add = EvalCommandTest.run("index", "add", "--index", g.toString(), "--model", m.toString(), "--data", more.toString(), "--merge");
        assertEquals(0, add.code(), add.err());
        assertEquals(0, EvalCommandTest.run("embed", "--model", m.toString(), "--data", more.toString(), "--flip", "mean", "--out", moreCsv.toString()).code());
        amface.eval.Embeddings e2 = amface.eval.EmbeddingsCsv.read(moreCsv);
        List<float[]> all = new ArrayList<>(e.paths().stream().filter(p -> p.startsWith("F0/")).map(e::get).toList());
        e2.paths().forEach(p -> all.add(e2.get(p)));
        Gallery merged = GalleryFolder.read(g).gallery();
        int row = merged.identities().indexOf("F0");
        assertEquals(5, merged.entry(row).images());
        double[] want = template(all);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], merged.vector(row)[i], 1e-5);
        // the gallery's flip mode is the probes' too: another is refused by add and identify
        assertRefused(EvalCommandTest.run("index", "add", "--index", g.toString(), "--model", m.toString(), "--data", alignedData("H", 1, 2, 9).toString(), "--flip", "sum"),
            "uses flip sum but the gallery was embedded with flip mean");
        assertRefused(EvalCommandTest.run("identify", "--index", g.toString(), "--flip", "none", "x.jpg"), "--flip none uses flip none but the gallery was embedded with flip mean");
    }

    /**
     * A build stopped during the embedding (here by a damaged image in its second chunk, as a kill would stop it)
     * keeps its finished chunk: the rerun embeds only the rest and writes the index an uninterrupted build writes.
     */
    @Test
    void aStoppedBuildContinuesItsEmbedding() throws IOException {
        Path m = model("model.zip", 6);
        int chunk = amface.gallery.EmbeddingChunks.DEFAULT_CHUNK;
        Path data = alignedData("S", chunk / 2 + 3, 2, 6);
        List<amface.data.IdentityDataset.Entry> listing = amface.data.IdentityDataset.scan(data).entries();
        Path late = data.resolve(listing.get(chunk + 2).path());
        byte[] good = Files.readAllBytes(late);
        Files.write(late, new byte[] {1, 2, 3});
        Path g = dir.resolve("gallery"), clean = dir.resolve("clean");
        Run stopped = EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "mean");
        assertEquals(2, stopped.code(), stopped.out());
        assertTrue(stopped.err().contains(late.getFileName().toString()), stopped.err());
        assertFalse(GalleryFolder.exists(g));
        assertTrue(Files.exists(g.resolve(amface.gallery.EmbeddingChunks.INDEX_FOLDER).resolve("chunk-000000.bin")), "the finished chunk is kept");

        Files.write(late, good);
        Run again = EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "mean");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming a stopped embedding: 1 finished chunks"), again.out());
        assertTrue(again.err().contains(listing.size() + " images, " + chunk + " of them from a stopped run's chunks"), again.err());
        assertFalse(Files.exists(g.resolve(amface.gallery.EmbeddingChunks.INDEX_FOLDER)), "the chunks go once the index holds them");

        assertEqualsAnUninterruptedBuild(g, clean, m, data, "mean");
    }

    /** The index in {@code resumed} holds exactly what a build of {@code data} in {@code clean} without a stop writes. */
    private static void assertEqualsAnUninterruptedBuild(Path resumed, Path clean, Path m, Path data, String flip) {
        assertEquals(0, EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", clean.toString(), "--flip", flip).code());
        Gallery r = GalleryFolder.read(resumed).gallery(), u = GalleryFolder.read(clean).gallery();
        assertEquals(u.entries(), r.entries());
        for (int i = 0; i < r.size(); i++) assertArrayEquals(u.vector(i), r.vector(i), 0f, r.entry(i).source());
    }

    /** A build killed (-9) during its embedding, after its first chunk: the rerun embeds only the rest and equals an uninterrupted build. */
    @Test
    void aBuildKilledWhileEmbeddingContinuesOnTheRerun() throws Exception {
        Path m = model("model.zip", 8);
        int chunk = amface.gallery.EmbeddingChunks.DEFAULT_CHUNK;
        Path data = alignedData("K", chunk + 40, 2, 8);   // two full chunks and a short one
        Path g = dir.resolve("gallery"), log = dir.resolve("build.log");
        Path firstChunk = g.resolve(amface.gallery.EmbeddingChunks.INDEX_FOLDER).resolve("chunk-000000.bin");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "amface.cli.Main", "index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "none");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.exists(firstChunk)) Thread.sleep(20);
        assertTrue(p.isAlive(), "the build ended before it could be killed: " + Files.readString(log));
        p.destroyForcibly().waitFor();
        assertFalse(GalleryFolder.exists(g), "killed before the index was written");

        Run again = EvalCommandTest.run("index", "build", "--model", m.toString(), "--data", data.toString(), "--out", g.toString(), "--flip", "none");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming a stopped embedding"), again.out());
        assertEqualsAnUninterruptedBuild(g, dir.resolve("clean"), m, data, "none");
    }

    /** A build killed (-9) while it writes the HNSW graph leaves the previous index whole; the next build cleans up and commits. */
    @Test
    void aKilledBuildLeavesTheOldIndex() throws Exception {
        Path m = model("model.zip", 5);
        Path g = dir.resolve("gallery");
        Path small = csv("small.csv", 30, 1), big = csv("big.csv", 60_000, 2);
        assertEquals(0, EvalCommandTest.run("index", "build", m.toString(), "--embeddings", small.toString(), "--flip", "none", "--out", g.toString()).code());
        String manifest = Files.readString(g.resolve(GalleryFolder.MANIFEST));
        Path log = dir.resolve("build.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
            System.getProperty("java.class.path"), "amface.cli.Main", "index", "build", m.toString(), "--embeddings", big.toString(), "--flip", "none",
            "--engine", "hnsw", "--out", g.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(log, StandardCharsets.UTF_8).contains("Building the HNSW graph")) Thread.sleep(50);
        assertTrue(p.isAlive(), "the build ended before it could be killed: " + Files.readString(log));
        p.destroyForcibly().waitFor();
        assertEquals(manifest, Files.readString(g.resolve(GalleryFolder.MANIFEST)), "the manifest of the old index is untouched");
        assertEquals(30, GalleryFolder.read(g).gallery().size());
        try (Stream<Path> s = Files.list(g)) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().startsWith("hnsw-") || AtomicFile.isTemporary(f)), "the kill left a half-written generation");
        }
        Run again = EvalCommandTest.run("index", "build", m.toString(), "--embeddings", small.toString(), "--flip", "none", "--out", g.toString());
        assertEquals(0, again.code(), again.err());
        try (Stream<Path> s = Files.list(g)) {
            List<String> left = s.map(f -> f.getFileName().toString()).filter(n -> !n.equals(GalleryFolder.MANIFEST)).sorted().toList();
            assertEquals(2, left.size(), "one generation (vectors, entries), no leftovers: " + left);
        }
    }

    private Path csv(String name, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("path");
        for (int i = 0; i < 16; i++) s.append(",e").append(i);
        s.append('\n');
        for (int row = 0; row < rows; row++) {
            s.append("id").append(row / 3).append("/img").append(row).append(".jpg");
            for (int i = 0; i < 16; i++) s.append(',').append((float) r.nextGaussian());
            s.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, s);
        return f;
    }
}
