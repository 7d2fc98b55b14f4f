package amface.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void oneJobAtATimeAndReleasedOnClose() throws IOException {
        Path out = dir.resolve("out");
        try (FolderLock lock = FolderLock.acquire(out, "first job")) {
            assertTrue(Files.isRegularFile(out.resolve(FolderLock.FILE)));
            assertEquals(ProcessHandle.current().pid(), FolderLock.holderOf(out).orElseThrow().pid());
            FolderInUseException e = assertThrows(FolderInUseException.class, () -> FolderLock.acquire(out, "second job"));
            assertTrue(e.getMessage().contains("first job"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve(FolderLock.FILE)), "released");
        FolderLock.acquire(out, "third job").close();
    }

    @Test
    void aLockOfADeadProcessIsTakenOverWithANotice() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long dead = p.pid();
        Path out = Files.createDirectories(dir.resolve("run"));
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(out.resolve(FolderLock.FILE), "pid=" + dead + "\nhost=" + host + "\ncommand=amface train\nsince=yesterday\n");
        List<String> notices = new ArrayList<>();
        try (FolderLock lock = FolderLock.acquire(out, "resume", notices::add)) {
            assertEquals(1, notices.size());
            assertTrue(notices.get(0).contains("pid " + dead) && notices.get(0).contains("no longer running"), notices.get(0));
        }
    }

    @Test
    void aLockFromAnotherHostIsNeverTakenOver() throws IOException {
        Path out = Files.createDirectories(dir.resolve("run"));
        Files.writeString(out.resolve(FolderLock.FILE), "pid=1\nhost=some-other-host.invalid\ncommand=amface sweep\nsince=today\n");
        FolderInUseException e = assertThrows(FolderInUseException.class, () -> FolderLock.acquire(out, "x"));
        assertTrue(e.getMessage().contains("some-other-host.invalid") && e.getMessage().contains("delete"), e.getMessage());
    }

    @Test
    void oneOutputFileIsOwnedWithoutLockingItsFolder() throws IOException {
        Path csv = dir.resolve("new/emb.csv");
        try (FolderLock lock = FolderLock.acquireFile(csv, "amface embed")) {
            FolderInUseException e = assertThrows(FolderInUseException.class, () -> FolderLock.acquireFile(csv, "second embed"));
            assertTrue(e.getMessage().contains("emb.csv") && e.getMessage().contains("amface embed"), e.getMessage());
            FolderLock.acquireFile(dir.resolve("new/other.csv"), "other").close();
            FolderLock.acquire(dir.resolve("new"), "a folder job").close();
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("new"))) {
            assertEquals(List.of(), s.toList(), "released: nothing left beside the file");
        }
    }

    @Test
    void aFileIsNotAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(file, "x"));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }
}
