package amface.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.ImageWriter;
import amface.image.RgbImage;

class IdentityDatasetTest {
    @TempDir Path root;

    private static RgbImage tiny(int v) {
        byte[] rgb = new byte[4 * 4 * 3];
        java.util.Arrays.fill(rgb, (byte) v);
        return new RgbImage(4, 4, rgb);
    }

    @BeforeEach
    void makeDataset() throws IOException {
        // Carol 3 images, Alice 2 (one upper-case .PNG), Bob 1, plus things a scan must ignore
        ImageWriter.write(tiny(1), root.resolve("Carol/c1.png"));
        ImageWriter.write(tiny(2), root.resolve("Carol/c2.jpg"));
        ImageWriter.write(tiny(3), root.resolve("Carol/c3.jpeg"));
        ImageWriter.write(tiny(4), root.resolve("Alice/a2.PNG"));
        ImageWriter.write(tiny(5), root.resolve("Alice/a1.png"));
        ImageWriter.write(tiny(6), root.resolve("Bob/b1.png"));
        Files.writeString(root.resolve("Bob/notes.txt"), "not an image");
        Files.createDirectories(root.resolve("Empty"));
        Files.createDirectories(root.resolve(".hidden"));
        ImageWriter.write(tiny(7), root.resolve(".hidden/x.png"));
        Files.writeString(root.resolve("README"), "hello");
    }

    @Test
    void scanListsSortedIdentitiesWithLabels() throws IOException {
        IdentityDataset ds = IdentityDataset.scan(root);
        assertEquals(List.of("Alice", "Bob", "Carol"), ds.identities());
        assertEquals(6, ds.size());
        assertEquals(new IdentityDataset.Entry("Alice/a1.png", "Alice", 0), ds.get(0));
        assertEquals(new IdentityDataset.Entry("Alice/a2.PNG", "Alice", 0), ds.get(1));
        assertEquals(new IdentityDataset.Entry("Carol/c3.jpeg", "Carol", 2), ds.get(5));
        assertEquals(List.of(2, 1, 3), java.util.Arrays.stream(ds.imagesPerIdentity()).boxed().toList());
        assertEquals(5, ds.read(ds.get(0)).get(0, 0, 0));
    }

    /** Issue 16: a named pipe with an image name is not listed (a loader reading it would wait forever); a link to an image is. */
    @Test
    void onlyRegularFilesAreListed() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("Bob/pipe.jpg").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        Files.createSymbolicLink(root.resolve("Bob/link.png"), root.resolve("Carol/c1.png"));
        IdentityDataset ds = IdentityDataset.scan(root);
        assertEquals(List.of("Bob/b1.png", "Bob/link.png"), ds.entries().stream().map(IdentityDataset.Entry::path).filter(p -> p.startsWith("Bob/")).toList());
    }

    @Test
    void minImagesRelabels() throws IOException {
        IdentityDataset ds = IdentityDataset.scan(root).minImagesPerIdentity(2);
        assertEquals(List.of("Alice", "Carol"), ds.identities());
        assertEquals(5, ds.size());
        assertTrue(ds.entries().stream().filter(e -> e.identity().equals("Carol")).allMatch(e -> e.label() == 1));
        assertEquals(0, IdentityDataset.scan(root).minImagesPerIdentity(4).size());
    }

    @Test
    void shuffleIsDeterministicForASeed() throws IOException {
        IdentityDataset ds = IdentityDataset.scan(root);
        assertEquals(ds.shuffled(3).entries(), ds.shuffled(3).entries());
        assertEquals(new HashSet<>(ds.entries()), new HashSet<>(ds.shuffled(3).entries()));
        boolean someDiffer = false;
        for (long s = 0; s < 10; s++) someDiffer |= !ds.shuffled(s).entries().equals(ds.shuffled(s + 100).entries());
        assertTrue(someDiffer);
    }

    @Test
    void splitByIdentityNeverSharesAPerson() throws IOException {
        IdentityDataset ds = IdentityDataset.scan(root);
        for (long seed = 0; seed < 20; seed++) {
            IdentityDataset.Split split = ds.splitByIdentity(1, seed);
            Set<String> a = new HashSet<>(split.train().identities());
            Set<String> b = new HashSet<>(split.heldOut().identities());
            assertEquals(2, a.size());
            assertEquals(1, b.size());
            a.retainAll(b);
            assertTrue(a.isEmpty());
            assertEquals(6, split.train().size() + split.heldOut().size());
            assertEquals(split.train().identities().size() - 1, split.train().entries().stream().mapToInt(IdentityDataset.Entry::label).max().orElseThrow());
            assertEquals(split.heldOut().identities(), ds.splitByIdentity(1, seed).heldOut().identities());
        }
        assertThrows(IllegalArgumentException.class, () -> ds.splitByIdentity(3, 1));
        assertThrows(IllegalArgumentException.class, () -> ds.splitByIdentity(0.0, 1));
    }

    @Test
    void validateReportsEveryBadFileAtOnce() throws IOException {
        Files.write(root.resolve("Bob/broken.jpg"), "text".getBytes());
        Files.write(root.resolve("Carol/empty.png"), new byte[0]);
        IdentityDataset ds = IdentityDataset.scan(root);
        BadImagesException e = assertThrows(BadImagesException.class, () -> ds.validate(Progress.NONE));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().contains("2 of 8 images cannot be read"), e.getMessage());
        assertTrue(e.getMessage().contains("broken.jpg: not an image"), e.getMessage());
        assertTrue(e.getMessage().contains("empty.png: empty file"), e.getMessage());

        IdentityDataset.Cleaned cleaned = ds.withoutBadImages(Progress.NONE);
        assertEquals(6, cleaned.dataset().size());
        assertEquals(2, cleaned.skipped().size());
        assertSame(cleaned.dataset(), cleaned.dataset().validate(Progress.NONE));
    }

    @Test
    void manyBadFilesAreSummarised() throws IOException {
        for (int i = 0; i < 25; i++) Files.write(root.resolve("Bob/bad" + i + ".jpg"), new byte[0]);
        BadImagesException e = assertThrows(BadImagesException.class, () -> IdentityDataset.scan(root).validate(Progress.NONE));
        assertEquals(25, e.problems().size());
        assertTrue(e.getMessage().contains("... and 5 more"), e.getMessage());
        assertEquals(21 + 1, e.getMessage().lines().count());
    }

    @Test
    void unusableRootsGiveClearErrors(@TempDir Path other) throws IOException {
        assertTrue(assertThrows(DatasetException.class, () -> IdentityDataset.scan(other.resolve("nope"))).getMessage().endsWith("no such folder"));
        Path file = Files.writeString(other.resolve("file.txt"), "x");
        assertTrue(assertThrows(DatasetException.class, () -> IdentityDataset.scan(file)).getMessage().contains("is a file"));
        Path empty = Files.createDirectories(other.resolve("empty"));
        assertTrue(assertThrows(DatasetException.class, () -> IdentityDataset.scan(empty)).getMessage().contains("no identity folders with images"));
        Path flat = Files.createDirectories(other.resolve("flat"));
        ImageWriter.write(tiny(1), flat.resolve("a.png"));
        String msg = assertThrows(DatasetException.class, () -> IdentityDataset.scan(flat)).getMessage();
        assertTrue(msg.contains("found 1 images directly in the folder"), msg);
    }

    @Test
    void withAndWithoutIdentities() throws IOException {
        IdentityDataset ds = IdentityDataset.scan(root);
        assertEquals(List.of("Bob", "Carol"), ds.withIdentities(List.of("Carol", "Bob", "Zed")).identities());
        assertEquals(List.of("Alice"), ds.withoutIdentities(List.of("Carol", "Bob")).identities());
        assertNotEquals(ds.identities(), ds.withoutIdentities(List.of("Alice")).identities());
        assertFalse(ds.withIdentities(List.of("Bob")).entries().stream().anyMatch(e -> e.label() != 0));
    }
}
