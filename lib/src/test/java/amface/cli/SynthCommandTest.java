package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.IdentityDataset;
import amface.data.LfwPairs;
import amface.image.ImageReader;

class SynthCommandTest {
    @TempDir Path dir;

    @Test
    void writesTheDatasetAndPairs() throws IOException {
        Path out = dir.resolve("synth");
        int code = Main.run("synth", "--out", out.toString(), "--identities", "6", "--images", "4", "--heldout", "20",
            "--pairs", "100", "--seed", "3", "--difficulty", "0.2", "--size", "112x112");
        assertEquals(0, code);
        IdentityDataset train = IdentityDataset.scan(out.resolve("train"));
        assertEquals(6, train.identityCount());
        assertEquals(112, ImageReader.read(train.file(train.get(0))).width());
        assertEquals(100, LfwPairs.read(out.resolve("pairs.txt")).resolve(out.resolve("heldout"), "png").size());
        assertTrue(Files.readString(out.resolve("synth.properties")).contains("difficulty=0.2"));
    }

    @Test
    void noHeldOutMeansNoPairs() {
        Path out = dir.resolve("train-only");
        assertEquals(0, Main.run("synth", "--out", out.toString(), "--identities", "3", "--images", "2", "--heldout", "0"));
        assertTrue(Files.isDirectory(out.resolve("train/id00002")));
        assertTrue(!Files.exists(out.resolve("pairs.txt")));
    }

    @Test
    void badOptionsExitWithCodeTwo() {
        assertEquals(2, Main.run("synth", "--out", dir.resolve("a").toString(), "--size", "big"));
        assertEquals(2, Main.run("synth", "--out", dir.resolve("b").toString(), "--difficulty", "3"));
        assertEquals(2, Main.run("synth", "--out", dir.resolve("c").toString(), "--images", "1"));
        assertEquals(2, Main.run("synth", "--out", dir.resolve("d").toString(), "--identities", "2", "--images", "2", "--heldout", "4", "--pairs", "400"));
    }

    /** Issue 16: each option's range is checked first, and the message names the option, the value and the range. */
    @Test
    void rangesAreNamedBeforeAnyWork() throws IOException {
        assertRefused("--images 1 is out of range: 2 to 10000", "--images", "1");
        assertRefused("--identities 0 is out of range: 1 to 1000000", "--identities", "0");
        assertRefused("--heldout 1 is out of range: 2 to 1000000", "--heldout", "1");
        assertRefused("--pairs 10 is out of range: 20 to 10000000", "--pairs", "10");
        assertRefused("--pairs 40 needs held-out identities", "--heldout", "0", "--pairs", "40");
        assertRefused("--difficulty 1.5 is out of range: 0 to 1", "--difficulty", "1.5");
        assertRefused("--size 8 is out of range: 16 to 4096", "--size", "8x8");
        Path file = Files.writeString(dir.resolve("a-file"), "mine");
        EvalCommandTest.Run r = EvalCommandTest.run("synth", "--out", file.toString(), "--identities", "2", "--images", "2", "--heldout", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out " + file + ": is a file, not a folder"), r.err());
        assertEquals("mine", Files.readString(file));
    }

    private void assertRefused(String expected, String... options) {
        Path out = dir.resolve("never");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("synth", "--out", out.toString()));
        args.addAll(java.util.List.of(options));
        EvalCommandTest.Run r = EvalCommandTest.run(args.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "'" + r.err().strip() + "' should contain '" + expected + "'");
        assertFalse(Files.exists(out), "nothing was written");
    }
}
