package amface.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.align.AlignTemplate;
import amface.align.FaceAligner;
import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.image.ImageReader;
import amface.image.ImageWriter;
import amface.testing.TestPaths;

/**
 * The distributed embedding on {@code local[2]} against {@code amface embed} (the CLI itself) over 112x96 chips of
 * LFW images with the library's tiny ResFace fixture model: the same rows in the same order, values within 1e-5
 * (tasks batch other images together than the CLI does), the Parquet copy equal to the CSV; a bad image or model
 * fails the job naming it and writes nothing.
 */
class DistributedEmbedderTest {
    static final double TOLERANCE = 1e-5;

    private static JavaSparkContext sc;
    @TempDir
    static Path tmp;
    private static Path data;
    private static Path model;

    @BeforeAll
    static void start() throws IOException {
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        model = TestPaths.projectRoot().resolve("lib/src/test/resources/fixtures/resface-tiny.zip");
        data = tmp.resolve("aligned");
        // Centre crops stand in for aligned chips: the embedding job does not care how they were made.
        for (String name : LfwSubset.PEOPLE) {
            try (Stream<Path> s = Files.list(lfw.resolve(name))) {
                for (Path f : s.sorted().limit(4).toList()) {
                    ImageWriter.write(FaceAligner.centerCrop(ImageReader.read(f), AlignTemplate.SIZE_112x96), data.resolve(name).resolve(f.getFileName()));
                }
            }
        }
        sc = LocalSpark.start("DistributedEmbedderTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    @Test
    void sameEmbeddingsAsAmfaceEmbedInCsvAndParquet() throws IOException {
        Path reference = tmp.resolve("reference.csv");
        assertEquals(0, amface.cli.Main.run("embed", "--model", model.toString(), "--data", data.toString(), "--out", reference.toString()));
        Path csv = tmp.resolve("spark.csv");
        Path parquet = tmp.resolve("spark.parquet");
        Embeddings e = DistributedEmbedder.builder(model.toString()).input(data.toUri().toString()).csv(csv).parquet(parquet)
            .batch(3).build().run(sc);
        Embeddings ref = EmbeddingsCsv.read(reference);
        Embeddings got = EmbeddingsCsv.read(csv);
        assertEquals(16, got.size());
        assertEquals(ref.paths(), got.paths());
        assertEquals(ref.paths(), e.paths());
        double worst = 0;
        for (String p : ref.paths()) {
            float[] a = ref.get(p), b = got.get(p);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst <= TOLERANCE, "max |spark - amface embed| = " + worst);
        System.out.println("spark embed vs amface embed: max abs difference " + worst);

        List<Row> rows = SparkSession.builder().sparkContext(sc.sc()).getOrCreate().read().parquet(parquet.toString()).collectAsList();
        assertEquals(16, rows.size());
        for (Row r : rows) {
            List<Float> v = r.getList(1);
            float[] c = got.get(r.getString(0));
            for (int i = 0; i < c.length; i++) assertEquals(c[i], v.get(i), r.getString(0) + " e" + i);
        }
    }

    @Test
    void aBadImageOrModelFailsNamingItAndWritesNothing() throws IOException {
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken.resolve("Someone"));
        try (Stream<Path> s = Files.list(data.resolve("Al_Gore"))) {
            for (Path f : s.toList()) Files.copy(f, broken.resolve("Someone").resolve(f.getFileName()));
        }
        Files.write(broken.resolve("Someone/Someone_9999.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 7});
        Path csv = tmp.resolve("never.csv");
        IOException bad = assertThrows(IOException.class, () -> DistributedEmbedder.builder(model.toString()).input(broken.toString()).csv(csv).build().run(sc));
        assertTrue(bad.getMessage().contains("Someone_9999.jpg"), bad.getMessage());
        assertFalse(Files.exists(csv));

        Path notAModel = tmp.resolve("not-a-model.zip");
        Files.writeString(notAModel, "no zip");
        Exception m = assertThrows(Exception.class, () -> DistributedEmbedder.builder(notAModel.toString()).input(data.toString()).csv(csv).build().run(sc));
        assertTrue(m.getMessage().contains("not-a-model.zip"), m.getMessage());
        assertFalse(Files.exists(csv));
    }
}
