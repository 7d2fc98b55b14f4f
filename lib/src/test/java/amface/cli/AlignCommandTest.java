package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.testing.TestPaths;

/** {@code amface align} refuses bad options with one clear line naming the value (exit code 2), before any work. */
class AlignCommandTest {

    @TempDir
    Path tmp;

    private String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void badOptionsGiveOneClearLine() throws Exception {
        int opThreads = amface.align.OpThreads.get();
        try {
            badOptions();
        } finally {
            amface.align.OpThreads.set(opThreads); // the command sets it for its process; tests share the JVM
        }
    }

    private void badOptions() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("raw/Name"));
        String weights = TestPaths.sharedData("mtcnn").toString();
        String out = tmp.resolve("out").toString();

        String[] r = run("align", "--input", tmp.resolve("absent").toString(), "--output", out, "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--input") && r[1].contains("absent") && r[1].contains("no such folder"), r[1]);

        r = run("align", "--input", in.getParent().toString(), "--output", out, "--size", "100x100", "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("100x100") && r[1].contains("112x96"), r[1]);

        r = run("align", "--input", in.getParent().toString(), "--output", out, "--detector", "haar", "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("'haar'"), r[1]);

        r = run("align", "--input", in.getParent().toString(), "--output", out, "--weights", tmp.toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("no MTCNN weights in " + tmp) && r[1].contains("det1.npy"), r[1]);

        r = run("align", "--input", in.getParent().toString(), "--output", out, "--threads", "0", "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--threads"), r[1]);

        // Issue 16: each range named with the option and value, before the detector loads; a file given as the output folder.
        String[][] outOfRange = {
            {"--threads", "0", "--threads 0 is out of range: 1 to 256"},
            {"--min-size", "2", "--min-size 2 is out of range: 4 to 4096"},
            {"--factor", "0.99", "--factor 0.99 is out of range: 0.3 to 0.95"},
            {"--thresholds", "0.6,1.5,0.7", "--thresholds 1.5 is out of range: 0 to 1"},
        };
        for (String[] c : outOfRange) {
            r = run("align", "--input", in.getParent().toString(), "--output", out, c[0], c[1], "--weights", weights);
            assertEquals("2", r[0], c[0]);
            assertTrue(r[1].contains(c[2]), "'" + r[1].strip() + "' should contain '" + c[2] + "'");
        }
        Path file = Files.writeString(tmp.resolve("a-file"), "mine");
        r = run("align", "--input", in.getParent().toString(), "--output", file.toString(), "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--output " + file + ": is a file, not a folder"), r[1]);
        assertEquals("mine", Files.readString(file));

        // A landmarks file that is not ours is not overwritten or appended to.
        Path foreign = tmp.resolve("foreign.csv");
        Files.writeString(foreign, "a,b\n1,2\n");
        r = run("align", "--input", in.getParent().toString(), "--output", out, "--landmarks", foreign.toString(), "--weights", weights);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains(foreign.toString()) && r[1].contains("line 1"), r[1]);
        assertEquals("a,b\n1,2\n", Files.readString(foreign));
    }
}
