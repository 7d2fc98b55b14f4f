package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers {@code --help} with its usage and exit code 0; the top help lists them all, whole. */
class MainTest {

    /** Runs the CLI and returns {exit code, stdout, stderr}. */
    static String[] capture(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void topHelpListsEveryCommandWithItsWholeFirstSentence() {
        String[] r = capture("--help");
        assertEquals("0", r[0]);
        String help = r[1];
        String list = help.substring(help.indexOf("Commands:"), help.indexOf("The flow:"));
        var spec = new picocli.CommandLine(new Main()).getSubcommands();
        for (String name : spec.keySet()) assertTrue(list.contains("\n  " + name + " "), name + " missing:\n" + list);
        for (String name : Main.LAUNCHER_COMMANDS.keySet()) assertTrue(list.contains("\n  " + name + " "), name + " missing:\n" + list);
        // each entry ends its sentence (picocli's own list cut eval's at "protocol):" and bench's at "(forward, softmax")
        String joined = list.replaceAll("\\s*\\n\\s{12,}", " ");
        for (String line : joined.split("\n")) {
            if (line.startsWith("  ")) assertTrue(line.strip().endsWith("."), "cut off: " + line);
        }
        assertTrue(joined.contains("VAL@FAR=1e-3, AUC and EER."), joined);
        assertTrue(joined.contains("images per second and the ratio."), joined);
        assertTrue(help.contains("align -> train (or sweep) -> embed -> eval"), help);
    }

    @Test
    void anUnknownCommandIsAnErrorEvenWithHelp() {
        for (String[] args : new String[][] {{"NO-SUCH-COMMAND", "--help"}, {"NO-SUCH-COMMAND"}, {"trian", "--help"}, {"train", "--bogus", "--help"}}) {
            String[] r = capture(args);
            assertEquals("2", r[0], String.join(" ", args) + ": " + r[1] + r[2]);
            assertTrue(r[2].contains(args[0].equals("train") ? "Unknown option: '--bogus'" : "Unmatched argument at index 0: '" + args[0] + "'"), r[2]);
        }
        assertTrue(capture("trian", "--help")[2].contains("Did you mean: amface train"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "info", "synth", "train", "sweep", "embed", "eval", "align", "bench", "bench align"})
    void everyCommandHasHelp(String command) {
        String[] words = command.isEmpty() ? new String[0] : command.split(" ");
        String[] args = java.util.Arrays.copyOf(words, words.length + 1);
        args[words.length] = "--help";
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.startsWith("Usage: amface" + (command.isEmpty() ? "" : " " + command)), out);
    }
}
