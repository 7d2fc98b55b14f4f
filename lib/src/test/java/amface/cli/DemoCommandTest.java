package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code amface demo}, shrunk: the whole path from synthetic faces to a run folder with plots and a 10-fold result. */
class DemoCommandTest {

    @Test
    void smallDemoWritesTheRunFolderAndLearnsSomething(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        int code = Main.run("demo", "--out", run.toString(), "--steps", "80", "--identities", "40", "--heldout", "20", "--images", "10");
        assertEquals(0, code);
        for (String f : new String[] {"config.properties", "metrics.csv", "loss.png", "roc.png", "distances.png", "folds.csv",
            "flip-modes.csv", "verification.json", "model.zip", "checkpoint.zip", "data/pairs.txt"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        String json = Files.readString(run.resolve("verification.json"));
        Matcher m = Pattern.compile("\"acc_mean\": ([0-9.]+)").matcher(json);
        assertTrue(m.find(), json);
        double accuracy = Double.parseDouble(m.group(1));
        // Chance is 0.5; a few dozen steps on easy-ish synthetic faces already separate people.
        assertTrue(accuracy > 0.65, "demo accuracy " + accuracy);
        assertTrue(json.contains("\"fold_acc\": ["), json);
    }
}
