package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
