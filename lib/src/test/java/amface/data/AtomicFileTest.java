package amface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
}
