package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FlipMode;
import amface.image.ImageReader;
import amface.image.ImageTransforms;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;

/** {@code amface embed} with a small untrained model: the CSV holds what the model computes, then {@code amface eval} reads it. */
class EmbedCommandTest {
    @TempDir Path dir;

    @Test
    void embedsThePairsImagesAndEvalReadsTheCsv() throws IOException {
        BackboneSpec spec = BackboneSpec.resFace(1, 1, 1, 1).input(24, 20).channels(4, 4, 8, 8).embeddingSize(16).dropoutKeep(1);
        FaceModel model = FaceModel.create(spec);
        Path modelFile = dir.resolve("model.zip");
        model.save(modelFile);

        Path root = dir.resolve("data");
        Random rnd = new Random(4);
        StringBuilder pairs = new StringBuilder("10\t1\n");
        for (int f = 0; f < 10; f++) {
            pairs.append("P").append(f).append("\t1\t2\n");
            pairs.append("P").append(f).append("\t1\tP").append((f + 1) % 10).append("\t2\n");
            for (int i = 1; i <= 3; i++) {
                byte[] rgb = new byte[24 * 20 * 3];
                rnd.nextBytes(rgb);
                ImageWriter.write(new RgbImage(20, 24, rgb), root.resolve("P" + f + "/P" + f + "_000" + i + ".png"));
            }
        }
        Path pairsFile = dir.resolve("pairs.txt");
        Files.writeString(pairsFile, pairs);
        Path csv = dir.resolve("out/emb.csv");

        EvalCommandTest.Run r = EvalCommandTest.run("embed", "--precision", "fp32", "--model", modelFile.toString(), "--data", root.toString(),
            "--pairs", pairsFile.toString(), "--ext", ".png", "--flip", "concat", "--batch", "7", "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        Embeddings e = EmbeddingsCsv.read(csv);
        assertEquals(20, e.size(), "the 20 images the pairs need, not all 30");
        assertEquals(32, e.dimension());
        List<String> paths = e.paths();
        List<RgbImage> images = new ArrayList<>();
        for (String p : paths) images.add(ImageReader.read(root.resolve(p)));
        List<RgbImage> mirrored = new ArrayList<>();
        for (RgbImage img : images) mirrored.add(ImageTransforms.flipHorizontal(img));
        float[][] o = model.embed(images), m = model.embed(mirrored);
        for (int i = 0; i < paths.size(); i++) {
            assertArrayEquals(FlipMode.CONCAT.combine(o[i], m[i]), e.get(paths.get(i)), 1e-5f, paths.get(i));
        }

        EvalCommandTest.Run ev = EvalCommandTest.run("eval", "--pairs", pairsFile.toString(), "--embeddings", csv.toString(), "--ext", "png");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("20 pairs, 10 folds"), ev.out());

        EvalCommandTest.Run all = EvalCommandTest.run("embed", "--model", modelFile.toString(), "--data", root.toString(), "--out", dir.resolve("all.csv").toString());
        assertEquals(0, all.code(), all.err());
        assertEquals(30, EmbeddingsCsv.read(dir.resolve("all.csv")).size(), "without --pairs every image");
        assertTrue(all.out().contains("inference: the model's own graph (fp32)"), "fp32 by default, as verify embeds: " + all.out());

        if (amface.nn.layers.Precision.bf16Problem() == null) {
            // bf16 goes through the BN-folded engine: close to fp32, not equal
            EvalCommandTest.Run bf16 = EvalCommandTest.run("embed", "--precision", "bf16", "--model", modelFile.toString(), "--data", root.toString(),
                "--out", dir.resolve("bf16.csv").toString());
            assertEquals(0, bf16.code(), bf16.err());
            assertTrue(bf16.out().contains("inference: oneDNN engine, bf16"), bf16.out());
            Embeddings b = EmbeddingsCsv.read(dir.resolve("bf16.csv")), f = EmbeddingsCsv.read(dir.resolve("all.csv"));
            for (String path : f.paths()) {
                float[] x = f.get(path), y = b.get(path);
                double dot = 0, nx = 0, ny = 0;
                for (int i = 0; i < x.length; i++) { dot += x[i] * y[i]; nx += x[i] * x[i]; ny += y[i] * y[i]; }
                assertTrue(dot / Math.sqrt(nx * ny) > 0.999, path + ": bf16 cosine to fp32 " + dot / Math.sqrt(nx * ny));
            }
        }

        EvalCommandTest.Run bad = EvalCommandTest.run("embed", "--model", dir.resolve("nope.zip").toString(), "--data", root.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no model file at"), bad.err());
        EvalCommandTest.Run wrongSize = EvalCommandTest.run("embed", "--model", modelFile.toString(), "--data", root.toString(),
            "--pairs", pairsFile.toString(), "--out", dir.resolve("y.csv").toString());
        assertEquals(2, wrongSize.code());
        assertTrue(wrongSize.err().contains("images are missing: P0/P0_0001.jpg"), wrongSize.err());
        assertTrue(!Files.exists(dir.resolve("y.csv")));
    }

    private static void writeFaces(Path root, int height, int width, int people) throws IOException {
        Random rnd = new Random(height * 1000L + width);
        for (int p = 0; p < people; p++) {
            for (int i = 1; i <= 2; i++) {
                byte[] rgb = new byte[height * width * 3];
                rnd.nextBytes(rgb);
                ImageWriter.write(new RgbImage(width, height, rgb), root.resolve("P" + p + "/P" + p + "_000" + i + ".png"));
            }
        }
    }

    /**
     * Issue 16 defect 9: embed fits images by the rule training uses (InputFit): 112x96 chips into a 56x48 model are
     * resized, and it says so; 112x112 chips into a 112x96 model are refused naming both sizes, before any work.
     */
    @Test
    void imagesAreResizedWhenTheAspectAgreesAndRefusedWhenNot() throws IOException {
        Path small = dir.resolve("small.zip"), standard = dir.resolve("standard.zip");
        FaceModel smallModel = FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).input(56, 48).channels(4, 4, 8, 8).embeddingSize(8).dropoutKeep(1));
        smallModel.save(small);
        FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).input(112, 96).channels(4, 4, 8, 8).embeddingSize(8).dropoutKeep(1)).save(standard);
        Path chips = dir.resolve("chips"), square = dir.resolve("square");
        writeFaces(chips, 112, 96, 2);
        writeFaces(square, 112, 112, 2);

        EvalCommandTest.Run r = EvalCommandTest.run("embed", "--precision", "fp32", "--model", small.toString(), "--data", chips.toString(), "--out", dir.resolve("a.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("images resized from 112x96 to 56x48 (same aspect ratio)"), r.out());
        Embeddings e = EmbeddingsCsv.read(dir.resolve("a.csv"));
        RgbImage first = ImageReader.read(chips.resolve(e.paths().get(0)));
        assertArrayEquals(smallModel.embed(List.of(ImageTransforms.resize(first, 48, 56)))[0], e.get(e.paths().get(0)), 1e-5f,
            "the chip resized as training resizes it");

        r = EvalCommandTest.run("embed", "--model", standard.toString(), "--data", chips.toString(), "--out", dir.resolve("b.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("images used as they are (112x96)"), r.out());

        r = EvalCommandTest.run("embed", "--model", standard.toString(), "--data", square.toString(), "--out", dir.resolve("c.csv").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("is 112x112 (HxW) but the model takes 112x96: the aspect ratios differ"), r.err());
        assertFalse(Files.exists(dir.resolve("c.csv")));
    }

    /** Issue 16 defect 8: a bad --out or --batch, or a blank image, is named before the model is even loaded or any image embedded. */
    @Test
    void outputAndRangesAreCheckedBeforeAnyWork() throws IOException {
        Path chips = dir.resolve("chips");
        writeFaces(chips, 24, 20, 2);
        Path folder = Files.createDirectories(dir.resolve("out-folder"));
        String absent = dir.resolve("absent-model.zip").toString();
        EvalCommandTest.Run r = EvalCommandTest.run("embed", "--model", absent, "--data", chips.toString(), "--out", folder.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out " + folder + ": is a folder, a file name is expected"), r.err());
        r = EvalCommandTest.run("embed", "--model", absent, "--data", chips.toString(), "--out", dir.resolve("x.csv").toString(), "--batch", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--batch 0 is out of range: 1 to 4096"), r.err());

        Path model = dir.resolve("m.zip");
        FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).input(24, 20).channels(4, 4, 8, 8).embeddingSize(8).dropoutKeep(1)).save(model);
        ImageWriter.write(new RgbImage(20, 24, new byte[20 * 24 * 3]), chips.resolve("P1/P1_0009.png"));
        r = EvalCommandTest.run("embed", "--model", model.toString(), "--data", chips.toString(), "--out", dir.resolve("y.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("P1_0009.png: a blank image (every pixel is RGB 0,0,0)"), r.err());
        assertFalse(Files.exists(dir.resolve("y.csv")));
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no lock or temporary file left");
        }
    }
}
