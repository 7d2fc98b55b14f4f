package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir Path dir;

    /** 40 pairs over 10 people x 4 images, 8-d embeddings clustered by person. */
    static void writeInputs(Path pairs, Path csv) throws IOException {
        Random rnd = new Random(3);
        StringBuilder e = new StringBuilder("path,e0,e1,e2,e3,e4,e5,e6,e7\n");
        double[][] centre = new double[10][8];
        for (double[] c : centre) for (int k = 0; k < 8; k++) c[k] = rnd.nextGaussian();
        for (int p = 0; p < 10; p++) {
            for (int i = 1; i <= 4; i++) {
                e.append(String.format("P%d/P%d_%04d.jpg", p, p, i));
                for (int k = 0; k < 8; k++) e.append(',').append((float) (centre[p][k] + 0.6 * rnd.nextGaussian()));
                e.append('\n');
            }
        }
        Files.writeString(csv, e);
        StringBuilder s = new StringBuilder("10\t2\n");
        for (int f = 0; f < 10; f++) {
            s.append(String.format("P%d\t1\t%d%n", f, 2 + f % 3));
            s.append(String.format("P%d\t3\t4%n", f));
            s.append(String.format("P%d\t1\tP%d\t2%n", f, (f + 1) % 10));
            s.append(String.format("P%d\t4\tP%d\t3%n", f, (f + 3) % 10));
        }
        Files.writeString(pairs, s);
    }

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsASummaryAndWritesTheJson() throws IOException {
        Path pairs = dir.resolve("pairs.txt"), csv = dir.resolve("emb.csv"), json = dir.resolve("out/result.json");
        writeInputs(pairs, csv);
        Run r = run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("40 pairs, 10 folds, squared L2 distance"), r.out());
        assertTrue(r.out().contains("accuracy  "), r.out());
        String text = Files.readString(json);
        assertTrue(text.startsWith("{\n  \"pairs\": 40,\n  \"acc_mean\": "), text);
        for (String key : new String[] {"acc_std", "fold_acc", "fold_threshold", "val", "val_std", "far", "auc", "eer"}) {
            assertTrue(text.contains("\"" + key + "\": "), key);
        }

        Run cos = run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--metric", "cosine");
        assertEquals(0, cos.code(), cos.err());
        assertTrue(cos.out().contains("cosine distance"), cos.out());
    }

    @Test
    void missingImagesFailUnlessSkipped() throws IOException {
        Path pairs = dir.resolve("pairs.txt"), csv = dir.resolve("emb.csv");
        writeInputs(pairs, csv);
        Files.writeString(pairs, Files.readString(pairs).replaceFirst("P0\t1\t2", "Nobody\t1\t2"));
        Run r = run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("1 of 40 pairs name images with no embedding in " + csv
            + " (2 images: Nobody/Nobody_0001.jpg, Nobody/Nobody_0002.jpg)"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        Run skip = run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--skip-missing");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains("Skipped 1 of 40 pairs: 2 images have no embedding"), skip.out());
        assertTrue(skip.out().contains("39 pairs, 10 folds"), skip.out());
    }

    @Test
    void badInputIsOneLineNamingFileAndLine() throws IOException {
        Path pairs = dir.resolve("pairs.txt"), csv = dir.resolve("emb.csv"), json = dir.resolve("result.json");
        writeInputs(pairs, csv);
        Files.writeString(json, "previous result");
        String good = Files.readString(csv);

        Files.writeString(csv, good.replaceFirst("\nP0/P0_0002.jpg,[^,]*,", "\nP0/P0_0002.jpg,NaN,"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--json", json.toString()), csv + ":3: e0 is NaN");
        Files.writeString(csv, good.replaceFirst("\nP0/P0_0002.jpg,", "\nP0/P0_0002.jpg,1,"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString()), csv + ":3: has 10 columns, the header has 9");
        Files.writeString(csv, good.replaceFirst("\nP0/P0_0002.jpg,[^,]*,", "\nP0/P0_0002.jpg,"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString()), csv + ":3: has 8 columns");
        Files.writeString(csv, good);
        Files.writeString(pairs, Files.readString(pairs).replaceFirst("P0\t3\t4", "P0\t3 4 5 6"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString()), pairs + ":3: expected 'Name i j'");
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--metric", "manhattan"), "unknown metric 'manhattan'");
        assertBad(run("eval", "--pairs", dir.resolve("absent.txt").toString(), "--embeddings", csv.toString()), "absent.txt: no such file");
        assertBad(run("eval", "--embeddings", csv.toString()), "either --pairs FILE or --bin FILE.bin");
        assertBad(run("eval", "--bin", dir.resolve("absent.bin").toString(), "--embeddings", csv.toString()), "absent.bin: no such file");
        assertEquals("previous result", Files.readString(json), "a failed run leaves the previous output alone");
    }

    /** Issue 16: rows that carry no information and options out of range are refused before any work, naming file, line or value. */
    @Test
    void constantRowsAndOutOfRangeOptionsAreRefused() throws IOException {
        Path pairs = dir.resolve("pairs.txt"), csv = dir.resolve("emb.csv");
        writeInputs(pairs, csv);
        String good = Files.readString(csv);
        Files.writeString(csv, good.replaceFirst("\nP0/P0_0002.jpg,[^\n]*", "\nP0/P0_0002.jpg,0,0,0,0,0,0,0,0"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString()), csv + ":3: the embedding of P0/P0_0002.jpg is all zeros");
        Files.writeString(csv, good.replaceFirst("\nP0/P0_0002.jpg,[^\n]*", "\nP0/P0_0002.jpg,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString()), csv + ":3: the embedding of P0/P0_0002.jpg has one value (0.5)");
        Files.writeString(csv, good);
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--folds", "1"), "--folds 1 is out of range: 2 to 1000");
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--folds", "41"), "--folds 41 is more than the 40 pairs");
        Path folder = Files.createDirectories(dir.resolve("results"));
        assertBad(run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--json", folder.toString()), "--json " + folder + ": is a folder");
        // The JSON is written while the file is owned, and the lock goes with the run.
        Run ok = run("eval", "--pairs", pairs.toString(), "--embeddings", csv.toString(), "--json", folder.resolve("r.json").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.isRegularFile(folder.resolve("r.json")));
        try (java.util.stream.Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("r.json")), left.toList(), "no lock or temporary file left");
        }
    }

    private static void assertBad(Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("amface eval: "), r.err());
        assertTrue(r.err().contains(expected), "'" + r.err().strip() + "' should contain '" + expected + "'");
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
