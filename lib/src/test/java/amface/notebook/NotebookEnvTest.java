package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookEnvTest {

    @Test
    void freshEmptiesARunFolderAndRefusesAnyOther(@TempDir Path elsewhere) throws Exception {
        Path run = NotebookEnv.runDir("notebook-env-test").resolve("run");
        Files.createDirectories(run.resolve("nested"));
        Files.writeString(run.resolve("nested").resolve("metrics.csv"), "step,loss\n");
        Path outside = Files.writeString(elsewhere.resolve("keep.txt"), "mine");
        Files.createSymbolicLink(run.resolve("link"), elsewhere);

        assertEquals(run, NotebookEnv.fresh(run));
        assertFalse(Files.exists(run));
        assertTrue(Files.exists(outside), "a link is removed, not followed");
        assertEquals(run, NotebookEnv.fresh(run), "a missing folder is fine");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotebookEnv.fresh(elsewhere));
        assertTrue(e.getMessage().contains(elsewhere.toString()), e.getMessage());
        assertTrue(Files.exists(outside));
        Path notebooks = NotebookEnv.projectRoot().resolve("runs").resolve("notebooks");
        assertThrows(IllegalArgumentException.class, () -> NotebookEnv.fresh(notebooks));
        assertThrows(IllegalArgumentException.class, () -> NotebookEnv.fresh(notebooks.resolve("x").resolve("..").resolve("..")));
        Files.delete(run.getParent());
    }
}
