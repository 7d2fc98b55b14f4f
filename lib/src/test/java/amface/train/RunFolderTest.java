package amface.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.io.FolderLock;

/**
 * Run folders are owned and know what they are (issue 16, defects 3 and 4): a second job on one folder is refused;
 * a checkpoint of another run, or a damaged one, is refused on resume naming what differs, and nothing in the folder
 * changes; a sweep's resume sets damaged files aside instead of trusting them.
 */
class RunFolderTest {
    @TempDir
    Path dir;

    private TrainConfig tiny(String name) throws IOException {
        TrainConfig c = TinyRuns.config(TinyRuns.faces().train(), dir.resolve(name));
        c.steps = 2;
        c.checkpointEvery = 2;
        return c;
    }

    private static Map<String, byte[]> snapshot(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return files;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path folder) throws IOException {
        Map<String, byte[]> after = snapshot(folder);
        assertEquals(before.keySet(), after.keySet(), "the same files");
        for (String name : before.keySet()) assertArrayEquals(before.get(name), after.get(name), name + " was rewritten");
    }

    @Test
    void aCheckpointOfAnotherRunIsRefusedNamingWhatDiffersAndNothingChanges() throws Exception {
        TrainConfig a = tiny("am");
        Trainer.create(a).run();
        TrainConfig b = tiny("arc");
        b.head = "arcface";
        b.channels = "4,8,8,16";
        Trainer.create(b).run();
        Path runA = dir.resolve("am");
        Files.copy(dir.resolve("arc").resolve(Trainer.CHECKPOINT), runA.resolve(Trainer.CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
        Map<String, byte[]> before = snapshot(runA);

        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.resume(runA));
        String m = e.getMessage();
        assertTrue(m.contains("is not this run's checkpoint") && m.contains(RunFolder.RECORD), m);
        assertTrue(m.contains("head (run folder: am, checkpoint: arcface)"), m);
        assertTrue(m.contains("channels (run folder: 4,8,8,8, checkpoint: 4,8,8,16)"), m);
        assertTrue(m.contains("Nothing was changed"), m);
        assertUnchanged(before, runA);
        assertFalse(Files.exists(runA.resolve(FolderLock.FILE)), "the folder is released after the refusal");

        // Also a folder from before run records (config.properties only) refuses it, by its recorded config.
        Files.delete(runA.resolve(RunFolder.RECORD));
        before = snapshot(runA);
        e = assertThrows(TrainingException.class, () -> Trainer.resume(runA));
        assertTrue(e.getMessage().contains(Trainer.CONFIG_FILE) && e.getMessage().contains("head (run folder: am, checkpoint: arcface)"), e.getMessage());
        assertUnchanged(before, runA);
    }

    @Test
    void aCheckpointOfOtherClassesIsRefused() throws Exception {
        TrainConfig a = tiny("a");
        Trainer.create(a).run();
        Properties recorded = RunFolder.describe(a, List.of("p1", "p2", "p3"));
        Properties found = RunFolder.describe(a, List.of("p1", "p2", "q3"));
        List<String> d = RunFolder.differences(recorded, found);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("the class list (same count, other identities"), d.get(0));
        Properties more = RunFolder.describe(a, List.of("p1", "p2", "p3", "p4"));
        assertEquals(List.of("classes (run folder: 3, checkpoint: 4)"), RunFolder.differences(recorded, more));
        assertEquals(List.of(), RunFolder.differences(recorded, RunFolder.describe(a.clone(), List.of("p1", "p2", "p3"))));
    }

    @Test
    void theRunsOwnCheckpointResumesAndAResumableChangeIsNoDifference() throws Exception {
        TrainConfig a = tiny("a");
        Trainer.create(a).run();
        Properties more = new Properties();
        more.setProperty("steps", "4");
        assertEquals(4, Trainer.resume(dir.resolve("a"), more, null).run().step());
        // A folder from before records resumes too, and gets its record.
        Files.delete(dir.resolve("a").resolve(RunFolder.RECORD));
        more.setProperty("steps", "5");
        assertEquals(5, Trainer.resume(dir.resolve("a"), more, null).run().step());
        assertTrue(Files.isRegularFile(dir.resolve("a").resolve(RunFolder.RECORD)));
    }

    @Test
    void aDamagedCheckpointIsRefusedAndKept() throws Exception {
        TrainConfig a = tiny("a");
        Trainer.create(a).run();
        Path cp = dir.resolve("a").resolve(Trainer.CHECKPOINT);
        byte[] whole = Files.readAllBytes(cp);
        Files.write(cp, java.util.Arrays.copyOf(whole, whole.length / 2));
        Map<String, byte[]> before = snapshot(dir.resolve("a"));
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.resume(dir.resolve("a")));
        assertTrue(e.getMessage().startsWith(cp.toString()) && e.getMessage().contains("checkpoint"), e.getMessage());
        e = assertThrows(TrainingException.class, () -> Trainer.create(a));
        assertTrue(e.getMessage().contains("already holds a checkpoint (unreadable"), e.getMessage());
        assertUnchanged(before, dir.resolve("a"));
    }

    @Test
    void aSecondJobOnOneRunFolderIsRefused() throws Exception {
        TrainConfig a = tiny("a");
        Trainer first = Trainer.create(a);
        try {
            TrainingException e = assertThrows(TrainingException.class, () -> Trainer.create(a));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            e = assertThrows(TrainingException.class, () -> Trainer.resume(dir.resolve("a")));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        } finally {
            first.close();
        }
        assertEquals(2, Trainer.create(tiny("b")).run().step());
    }

    @Test
    void inspectSetsDamagedFilesAsideAndNeverDeletesThem() throws Exception {
        TrainConfig a = tiny("a");
        Trainer.create(a).run();
        Path run = dir.resolve("a");
        StringBuilder notices = new StringBuilder();
        assertEquals(RunFolder.State.FINISHED, RunFolder.inspect(run, notices::append));
        assertEquals("", notices.toString());

        byte[] model = Files.readAllBytes(run.resolve(Trainer.MODEL));
        Files.write(run.resolve(Trainer.MODEL), java.util.Arrays.copyOf(model, 100));
        assertEquals(RunFolder.State.CHECKPOINT, RunFolder.inspect(run, notices::append));
        assertTrue(notices.toString().contains(Trainer.MODEL + ".damaged-1"), notices.toString());
        assertEquals(100, Files.size(run.resolve(Trainer.MODEL + ".damaged-1")));

        Files.write(run.resolve(Trainer.CHECKPOINT), new byte[0]);
        assertEquals(RunFolder.State.EMPTY, RunFolder.inspect(run, notices::append));
        assertTrue(Files.exists(run.resolve(Trainer.CHECKPOINT + ".damaged-1")));
        assertEquals(RunFolder.State.EMPTY, RunFolder.inspect(dir.resolve("never-made"), notices::append));
    }
}
