package amface.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFoldersTest {
    @TempDir
    Path dir;

    @Test
    void refusesTheInputItselfAndFoldersHoldingIt() throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw/people"));
        assertTrue(assertThrows(IOException.class, () -> OutputFolders.requireApart(raw, raw, "--input", "--output")).getMessage().contains("is the input"));
        assertTrue(assertThrows(IOException.class, () -> OutputFolders.requireApart(raw, dir.resolve("raw"), "--input", "--output")).getMessage().contains("contains the input"));
        assertTrue(assertThrows(IOException.class, () -> OutputFolders.requireApart(raw, dir.resolve("raw/people/../people/"), "--input", "--output")).getMessage().contains("is the input"));
        OutputFolders.requireApart(raw, raw.resolve("aligned"), "--input", "--output");   // strictly inside: fine
        OutputFolders.requireApart(raw, dir.resolve("aligned"), "--input", "--output");
    }

    @Test
    void comparesAfterResolvingLinks() throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), raw);
        IOException e = assertThrows(IOException.class, () -> OutputFolders.requireApart(raw, link, "--input", "--output"));
        assertTrue(e.getMessage().contains("once links are followed") || e.getMessage().contains("is the input"), e.getMessage());
        assertThrows(IOException.class, () -> OutputFolders.requireApart(link, raw, "--input", "--output"));
        // An input that is a tree of links to files elsewhere (notebook 01's smoke input) is a folder of its own.
        Path other = Files.createDirectories(dir.resolve("smoke/Name"));
        Files.createSymbolicLink(other.resolve("a.jpg"), Files.writeString(raw.resolve("a.jpg"), "x"));
        OutputFolders.requireApart(dir.resolve("smoke"), dir.resolve("smoke-aligned"), "--input", "--output");
    }

    @Test
    void namesAFileWhereAFolderIsExpectedAndTheReverse() throws IOException {
        Path file = Files.writeString(dir.resolve("taken.txt"), "x");
        assertTrue(assertThrows(IOException.class, () -> OutputFolders.requireFolderOrAbsent(file, "--output")).getMessage().contains("is a file"));
        assertTrue(assertThrows(IOException.class, () -> OutputFolders.requireFileOrAbsent(dir, "--out")).getMessage().contains("is a folder"));
        OutputFolders.requireFileOrAbsent(dir.resolve("new/emb.csv"), "--out");
        OutputFolders.requireFolderOrAbsent(dir.resolve("new/run"), "--out");
    }
}
