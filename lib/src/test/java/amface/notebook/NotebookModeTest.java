package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class NotebookModeTest {

    @Test
    void parsesModesAndPicksValues() {
        assertEquals(NotebookMode.SMOKE, NotebookMode.parse(null));
        assertEquals(NotebookMode.SMOKE, NotebookMode.parse(" "));
        assertEquals(NotebookMode.FULL, NotebookMode.parse(" Full\n"));
        assertEquals(2, NotebookMode.SMOKE.pick(2, 30));
        assertEquals(30, NotebookMode.FULL.pick(2, 30));
        assertEquals("casia", NotebookMode.FULL.pick("synthetic", "casia"));
        assertEquals("smoke", NotebookMode.SMOKE.toString());
    }

    @Test
    void rejectsUnknownModesNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotebookMode.parse("quick"));
        assertTrue(e.getMessage().contains("AMFACE_NOTEBOOK_MODE=quick"), e.getMessage());
    }

    @Test
    void findsTheProjectAndFallsBackWhenAVariableIsUnset() {
        Path root = NotebookEnv.projectRoot();
        assertTrue(Files.isRegularFile(root.resolve("amface")), root.toString());
        Path fallback = Path.of("/nonexistent/fallback");
        assertEquals(fallback, NotebookEnv.path("AMFACE_TEST_SURELY_UNSET_VARIABLE", fallback));
    }
}
