package amface.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.LfwPairs.Pair;

class LfwPairsTest {
    @TempDir Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("pairs.txt"), text);
    }

    private String error(String text) throws IOException {
        Path f = file(text);
        return assertThrows(DatasetException.class, () -> LfwPairs.read(f)).getMessage();
    }

    @Test
    void parsesView2Layout() throws IOException {
        LfwPairs p = LfwPairs.read(file("2\t1\nAnn\t1\t2\nAnn\t1\tBen\t3\nCy 4 12\nDee 1 Eve 2\n"));
        assertEquals(2, p.foldCount());
        assertEquals(new Pair("Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", true, 2), p.fold(0).get(0));
        assertEquals(new Pair("Ann/Ann_0001.jpg", "Ben/Ben_0003.jpg", false, 3), p.fold(0).get(1));
        assertEquals("Cy/Cy_0012.jpg", p.fold(1).get(0).right());
        assertEquals(Set.of("Cy", "Dee", "Eve"), p.identities(1));
        assertEquals("Ben", p.fold(0).get(1).rightIdentity());
    }

    @Test
    void parsesView1Layout() throws IOException {
        LfwPairs p = LfwPairs.read(file("2\nAnn 1 2\nBo 3 4\nAnn 1 Bo 2\nBo 1 Cy 1\n"));
        assertEquals(1, p.foldCount());
        assertEquals(4, p.fold(0).size());
    }

    @Test
    void badLinesNameFileAndLine() throws IOException {
        String m = error("1 1\nAnn 1 2\nAnn one Ben 2\n");
        assertTrue(m.endsWith("pairs.txt:3: image number 'one' is not a whole number: 'Ann one Ben 2'"), m);
        m = error("1 1\nAnn 1 2 3 4 5\nAnn 1 Ben 2\n");
        assertTrue(m.contains("pairs.txt:2: expected 'Name i j'"), m);
        m = error("1 1\nAnn 0 2\nAnn 1 Ben 2\n");
        assertTrue(m.contains(":2: image numbers start at 1, found 0"), m);
        m = error("1 1\nAnn 1 2\nAnn 1 Ann 2\n");
        assertTrue(m.contains(":3: a different-person line names Ann twice"), m);
        m = error("ten 300\n");
        assertTrue(m.contains(":1: expected a header"), m);
        m = error("1 2\nAnn 1 2\nAnn 1 Ben 2\n");
        assertTrue(m.contains("announces 4 pairs"), m);
        assertTrue(error("").contains("empty pairs file"));
        assertTrue(assertThrows(DatasetException.class, () -> LfwPairs.read(dir.resolve("none.txt"))).getMessage().endsWith("no such file"));
    }

    @Test
    void writeThenReadGivesTheSamePairs() throws IOException {
        List<List<Pair>> folds = List.of(
            List.of(Pair.of("id1", 2, "id1", 3, 0), Pair.of("id1", 1, "id2", 1, 0)),
            List.of(Pair.of("id3", 1, "id4", 1, 0), Pair.of("id4", 1, "id4", 2, 0)));
        Path f = dir.resolve("out/pairs.txt");
        LfwPairs.of(folds).write(f);
        LfwPairs back = LfwPairs.read(f);
        assertEquals(2, back.foldCount());
        assertEquals("id4/id4_0002.jpg", back.fold(1).get(0).right()); // same pairs come first in a fold
        assertFalse(back.fold(1).get(1).same());
        assertThrows(IllegalArgumentException.class, () -> LfwPairs.of(List.of(List.of(Pair.of("a", 1, "a", 2, 0)))).write(dir.resolve("x.txt")));
    }

    @Test
    void resolveListsEveryMissingImage() throws IOException {
        Path root = Files.createDirectories(dir.resolve("imgs/Ann"));
        Files.write(root.resolve("Ann_0001.png"), new byte[1]);
        Files.write(root.resolve("Ann_0002.png"), new byte[1]);
        LfwPairs p = LfwPairs.read(file("1\nAnn 1 2\nAnn 1 Ben 7\n"));
        assertEquals(List.of("Ben/Ben_0007.png"), p.missing(dir.resolve("imgs"), "png"));
        String m = assertThrows(DatasetException.class, () -> p.resolve(dir.resolve("imgs"), "png")).getMessage();
        assertTrue(m.contains("1 images named by its pairs are missing") && m.contains("Ben/Ben_0007.png"), m);
        Files.createDirectories(dir.resolve("imgs/Ben"));
        Files.write(dir.resolve("imgs/Ben/Ben_0007.png"), new byte[1]);
        List<LfwPairs.ResolvedPair> r = p.resolve(dir.resolve("imgs"), "png");
        assertEquals(dir.resolve("imgs/Ben/Ben_0007.png"), r.get(1).right());
    }
}
