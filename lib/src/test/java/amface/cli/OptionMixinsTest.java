package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options declared once as picocli mixins and used by several commands: each command shows its own default, and
 * every command refuses a bad value with the same one-line message before any work.
 */
class OptionMixinsTest {
    @TempDir Path dir;

    @Test
    void eachCommandShowsItsOwnDefaultOfASharedOption() {
        assertOption("calibrate", "--batch=N", "Aligned images per batch, 1 to 4096 (default: 32).");
        assertOption("embed", "--batch=N", "Aligned images per batch, 1 to 4096 (default: 64).");
        assertOption("synth", "--identities=N", "Training identities, 1 to 1000000 (default 500).");
        assertOption("demo", "--identities=N", "Training identities, 1 to 1000000 (default 300).");
        assertOption("demo", "--images=M", "Images per identity, 2 to 10000 (default 12).");
        assertOption("eval", "--folds=K", "Cross-validation folds");
        assertOption("calibrate", "--folds=K", "Cross-validation folds");
        for (String command : new String[] {"embed", "calibrate", "verify"}) assertOption(command, "--flip=MODE", "Test-time flip");
    }

    @Test
    void everyCommandRefusesABadValueOfASharedOptionAlike() {
        assertBad(EvalCommandTest.run("demo", "--identities", "0", "--out", dir.resolve("demo").toString()), "demo",
            "--identities 0 is out of range: 1 to 1000000");
        assertBad(EvalCommandTest.run("synth", "--identities", "0", "--out", dir.resolve("synth").toString()), "synth",
            "--identities 0 is out of range: 1 to 1000000");
        assertBad(EvalCommandTest.run("calibrate", dir.resolve("m.zip").toString(), "--pairs", "p.txt", "--folds", "1"), "calibrate",
            "--folds 1 is out of range: 2 to 1000");
        assertBad(EvalCommandTest.run("calibrate", dir.resolve("m.zip").toString(), "--pairs", "p.txt", "--batch", "0"), "calibrate",
            "--batch 0 is out of range: 1 to 4096");
        assertBad(EvalCommandTest.run("bench", "align", "--threads", "0"), "align", "--threads 0 is out of range: 1 to 256");
        assertBad(EvalCommandTest.run("index", "bench", "--sizes", "10", "--ef", "0"), "bench", "--ef must be at least 1, got 0");
        assertBad(EvalCommandTest.run("embed", "--data", dir.toString(), "--out", dir.resolve("e.csv").toString()), "embed",
            "give the model file either as the first argument or with --model");
        assertTrue(!dir.resolve("demo").toFile().exists() && !dir.resolve("synth").toFile().exists(), "refused before any work");
    }

    private static void assertOption(String command, String option, String text) {
        EvalCommandTest.Run r = EvalCommandTest.run(command, "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(Pattern.compile(Pattern.quote(option) + " " + Pattern.quote(text)).matcher(help).find(),
            command + " --help should show " + option + " " + text + ":\n" + r.out());
    }

    private static void assertBad(EvalCommandTest.Run r, String command, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("amface " + command + ": ") && r.err().contains(expected), "'" + r.err().strip() + "' should say '" + expected + "'");
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
