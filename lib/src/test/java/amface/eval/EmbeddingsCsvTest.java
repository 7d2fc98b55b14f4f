package amface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingsCsvTest {
    @TempDir Path dir;

    @Test
    void writesAndReadsBackExactly() {
        Embeddings e = Embeddings.builder(3)
            .add("Ann/Ann_0001.jpg", new float[] {0.1f, -2.5e-7f, 3.4028235e38f})
            .add("Bob, Jr/Bob_0002.jpg", new float[] {Float.MIN_VALUE, 1f / 3, -0f})
            .add("\"Quoted\"/x.jpg", new float[] {1, 2, 3})
            .build();
        Path file = dir.resolve("sub/e.csv");
        EmbeddingsCsv.write(file, e);
        Embeddings back = EmbeddingsCsv.read(file);
        assertEquals(e.paths(), back.paths());
        for (String p : e.paths()) assertArrayEquals(e.get(p), back.get(p), 0f, p);
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left behind");
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void badInputNamesFileAndLine() throws IOException {
        assertError("path,e0,e1\nA/a.jpg,1,2\nB/b.jpg,1,2,3\n", ":3: has 4 columns, the header has 3");
        assertError("path,e0,e1\nA/a.jpg,1\n", ":2: has 2 columns, the header has 3");
        assertError("path,e0,e1\nA/a.jpg,1,NaN\n", ":2: e1 is NaN");
        assertError("path,e0,e1\nA/a.jpg,Infinity,1\n", ":2: e0 is Infinity");
        assertError("path,e0,e1\nA/a.jpg,1e39,1\n", ":2: e0 is 1e39 (outside the float range)");
        assertError("path,e0,e1\nA/a.jpg,1,x2\n", ":2: e1 is 'x2', not a number");
        assertError("path,e0,e1\nA/a.jpg,1,\n", ":2: e1 is '', not a number");
        assertError("path,e0,e1\nA/a.jpg,1,2\n\nA/a.jpg,3,4\n", ":4: path A/a.jpg already appeared on line 2");
        assertError("name,e0\nA/a.jpg,1\n", ":1: expected a header path,e0,e1,...");
        assertError("path,e0,e2\nA/a.jpg,1,2\n", ":1: header column 3 is 'e2', expected e1");
        assertError("", ":1: the file is empty");
        assertError("path,e0\n", "no embeddings after the header");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingsCsv.read(dir.resolve("absent.csv")));
        assertTrue(e.getMessage().contains("absent.csv"), e.getMessage());
    }

    @Test
    void acceptsWindowsLineEndingsAndBom() throws IOException {
        Path f = dir.resolve("crlf.csv");
        Files.writeString(f, "\uFEFFpath,e0,e1\r\nA/a.jpg,1.5,-2\r\n");
        assertArrayEquals(new float[] {1.5f, -2f}, EmbeddingsCsv.read(f).get("A/a.jpg"));
    }

    private void assertError(String content, String expected) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingsCsv.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
