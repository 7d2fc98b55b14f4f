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
import java.util.Random;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

import amface.align.PickleException;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.testing.Python;
import amface.testing.TestPaths;

/**
 * insightface .bin files written by Python's pickle (protocols 2 and 4 from Python 3, and Python 2's str layout):
 * images and labels come back byte for byte, evaluation on them equals evaluation on the same images as files,
 * and a pickle that would run a command is refused.
 */
class InsightfaceBinTest {

    @Test
    void readsEveryPickleFlavourAndRefusesCode() throws IOException {
        Path dir = TestPaths.buildDir("eval/insightface-bin");
        Path images = dir.resolve("images");
        Random rnd = new Random(9);
        int pairs = 24;
        List<String> files = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        boolean[] same = new boolean[pairs];
        StringJoiner issame = new StringJoiner(",");
        for (int p = 0; p < pairs; p++) {
            same[p] = p % 3 != 0;
            issame.add(same[p] ? "1" : "0");
            int base = rnd.nextInt(200);
            for (int k = 0; k < 2; k++) {
                // Same pairs share a base colour; big images (> 255 bytes) and tiny ones exercise both string opcodes.
                int size = p % 4 == 0 ? 3 : 20;
                byte[] rgb = new byte[size * size * 3];
                for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) ((same[p] || k == 0 ? base : rnd.nextInt(200)) + rnd.nextInt(40));
                byte[] png = ImageWriter.encode(new RgbImage(size, size, rgb), "png");
                Path f = images.resolve(String.format("img%03d.png", 2 * p + k));
                Files.createDirectories(images);
                Files.write(f, png);
                files.add(f.toString());
                encoded.add(png);
            }
        }
        List<String> args = new ArrayList<>(List.of(dir.toString(), issame.toString()));
        args.addAll(files);
        Path python = Python.venv("verification", "reference/requirements-verification.txt");
        Python.script(python, "reference/make_insightface_bin.py", args.toArray(String[]::new));

        for (String name : List.of("py3-protocol4.bin", "py3-protocol2.bin", "py2-protocol2.bin")) {
            InsightfaceBin bin = InsightfaceBin.read(dir.resolve(name));
            assertEquals(pairs, bin.pairs(), name);
            assertArrayEquals(same, bin.same(), name);
            for (int i = 0; i < 2 * pairs; i++) assertArrayEquals(encoded.get(i), bin.encodedImage(i), name + " image " + i);
            assertEquals(name + "#00003", bin.pairList().get(1).right());
        }

        PickleException refused = assertThrows(PickleException.class, () -> InsightfaceBin.read(dir.resolve("refused.bin")));
        assertTrue(refused.getMessage().contains("refused pickle global 'posix.system'") || refused.getMessage().contains("refused pickle global 'os.system'"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("nothing was executed"), refused.getMessage());

        // Evaluating the .bin equals evaluating the same images read from files.
        InsightfaceBin bin = InsightfaceBin.read(dir.resolve("py2-protocol2.bin"));
        EmbeddingExtractor.ImageSource resized = n -> {
            RgbImage img = bin.imageSource().read(n);
            return img.width() == 20 ? img : amface.image.ImageTransforms.resize(img, 20, 20);
        };
        Embeddings fromBin = EmbeddingExtractor.of(new ColourStatisticsEmbedder(20, 20)).withFlip(FlipMode.SUM).extract(bin.imageNames(), resized);
        VerificationResult r = VerificationEvaluator.standard().withFolds(4).evaluate(VerificationPairs.match(bin.pairList(), fromBin, false, "bin"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2 * pairs; i++) names.add(images.relativize(Path.of(files.get(i))).toString());
        Embeddings fromFiles = EmbeddingExtractor.of(new ColourStatisticsEmbedder(20, 20)).withFlip(FlipMode.SUM).extract(names, n -> {
            RgbImage img = amface.image.ImageReader.read(images.resolve(n));
            return img.width() == 20 ? img : amface.image.ImageTransforms.resize(img, 20, 20);
        });
        double[] d = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            d[p] = Metric.DISTANCE.distance(VerificationEvaluator.normalised(fromFiles.get(names.get(2 * p))),
                VerificationEvaluator.normalised(fromFiles.get(names.get(2 * p + 1))));
        }
        VerificationResult expected = VerificationEvaluator.standard().withFolds(4).evaluateDistances(d, same);
        assertEquals(expected.toJson(), r.toJson());
        assertTrue(r.accuracyMean() > 0.6, r.toString());

        // The CLI evaluates a CSV keyed by the .bin's image names against the .bin's pairs.
        Path csv = dir.resolve("py2-protocol2.csv"), json = dir.resolve("py2-protocol2.json");
        EmbeddingsCsv.write(csv, fromBin);
        assertEquals(0, amface.cli.Main.run("eval", "--bin", dir.resolve("py2-protocol2.bin").toString(), "--embeddings", csv.toString(),
            "--folds", "4", "--json", json.toString()));
        assertEquals(r.toJson(), Files.readString(json));
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        Path dir = TestPaths.buildDir("eval/insightface-bin-bad");
        Path f = dir.resolve("truncated.bin");
        Files.write(f, new byte[] {(byte) 0x80, 2, ']', 'q', 0, '(', 'U', 10, 1, 2});
        IOException e = assertThrows(IOException.class, () -> InsightfaceBin.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        // (["x"], [True, False]): one image for two pairs.
        Files.write(f, new byte[] {(byte) 0x80, 2, ']', '(', 'U', 1, 'x', 'e', ']', '(', (byte) 0x88, (byte) 0x89, 'e', (byte) 0x86, '.'});
        e = assertThrows(IOException.class, () -> InsightfaceBin.read(f));
        assertTrue(e.getMessage().contains("1 images for 2 pairs"), e.getMessage());
        e = assertThrows(IOException.class, () -> InsightfaceBin.read(dir.resolve("absent.bin")));
        assertTrue(e.getMessage().contains("absent.bin: no such file"), e.getMessage());
    }
}
