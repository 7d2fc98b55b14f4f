package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.testing.TestPaths;

class PairsFileTest {
    @TempDir Path dir;

    @Test
    void readsSameAndDifferentPairsWithLineNumbers() throws IOException {
        Path f = dir.resolve("pairs.txt");
        Files.writeString(f, "10\t300\nAbel_Pacheco\t1\t4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\n");
        assertEquals(List.of(
            new LabeledPair("Abel_Pacheco/Abel_Pacheco_0001.jpg", "Abel_Pacheco/Abel_Pacheco_0004.jpg", true, 2),
            new LabeledPair("Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg", "Dean_Barker/Dean_Barker_0001.jpg", false, 3)
        ), PairsFile.read(f, ".jpg"));
        assertEquals("Dean_Barker/Dean_Barker_0001.png", PairsFile.read(f, "png").get(1).right());
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "10 300\nAbel_Pacheco 1 4\nAbel_Pacheco 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairsFile.read(f, ".jpg"));
        assertTrue(e.getMessage().startsWith(f + ":3: expected 'Name n1 n2'"), e.getMessage());
        Files.writeString(f, "Abel_Pacheco 1 x\n");
        e = assertThrows(IllegalArgumentException.class, () -> PairsFile.read(f, ".jpg"));
        assertTrue(e.getMessage().startsWith(f + ":1: image number 'x'"), e.getMessage());
    }

    @Test
    void readsTheLfwPairsFile() {
        List<LabeledPair> pairs = PairsFile.read(TestPaths.sharedData("lfw/pairs.txt"), ".jpg");
        assertEquals(6000, pairs.size());
        long same = pairs.stream().filter(LabeledPair::same).count();
        assertEquals(3000, same);
        assertTrue(pairs.subList(0, 300).stream().allMatch(LabeledPair::same), "each LFW fold starts with its 300 same pairs");
        for (LabeledPair p : pairs) {
            Path root = TestPaths.sharedData().resolve("lfw/lfw-deepfunneled");
            assertTrue(Files.isRegularFile(root.resolve(p.left())), p.left());
            assertTrue(Files.isRegularFile(root.resolve(p.right())), p.right());
        }
    }
}
