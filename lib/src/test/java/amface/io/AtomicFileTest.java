package amface.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/table.csv");
        AtomicFile.writeString(target, "old\n");
        AtomicFile.writeString(target, "new\n");
        assertEquals("new\n", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("model.bin");
        AtomicFile.writeBytes(target, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> AtomicFile.writeStream(target, out -> {
            out.write(9);
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void newFilesGetTheUsualPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain.txt"));   // what the umask gives any new file
        Path written = dir.resolve("written.txt");
        AtomicFile.writeString(written, "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(written));
    }

    /** Defect 6: the temporary names of today and of earlier versions are recognised, and only those. */
    @Test
    void temporaryFilesOfAKilledWriteAreRecognisedAndRemoved() throws IOException {
        Path name = Files.createDirectories(dir.resolve("Name"));
        Path target = name.resolve("Name_0007.jpg");
        AtomicFile.write(target, tmp -> {
            assertTrue(AtomicFile.isTemporary(tmp), tmp + " is recognised as temporary");
            assertTrue(tmp.getFileName().toString().endsWith("-Name_0007.jpg"), "keeps the extension");
            Files.writeString(tmp, "x");
        });
        Files.writeString(name.resolve(".tmp2x0k9zq1m-Name_0008.jpg"), "left by a kill (old scheme)");
        Files.writeString(name.resolve(".amface-tmp-abc-Name_0009.jpg"), "left by a kill");
        Files.writeString(name.resolve(".landmarks.csv.123.tmp"), "old style");
        Files.writeString(name.resolve("tmpfile.jpg"), "a user's image");
        Files.writeString(name.resolve(".hidden.jpg"), "a user's hidden file");
        assertEquals(3, AtomicFile.removeTemporaries(dir));
        try (Stream<Path> files = Files.list(name)) {
            assertEquals(Set.of("Name_0007.jpg", "tmpfile.jpg", ".hidden.jpg"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void temporaryFilesOfOneTargetAreRemovedAndNoOthers() throws IOException {
        Path target = dir.resolve("emb.csv");
        Files.writeString(dir.resolve(".amface-tmp-k3j-emb.csv"), "left by a killed embed");
        Files.writeString(dir.resolve(".amface-tmp-k3j-other.csv"), "another job's write in progress");
        assertEquals(1, AtomicFile.removeTemporariesOf(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of(".amface-tmp-k3j-other.csv"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void aFailedWriteNamesTheFile() throws IOException {
        Path target = dir.resolve("emb.csv");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeStream(target, out -> {
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("No space left"), e.getMessage());
        assertTrue(assertThrows(IOException.class, () -> AtomicFile.writeString(dir, "x")).getMessage().contains("is a folder"));
    }
}
