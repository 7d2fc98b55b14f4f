package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code amface bench}: the summary, and the amface side of a timing run (the PyTorch peer is not run in tests). */
class BenchCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args), "exit code");
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void summaryPrintsTheReferenceSizes() {
        String out = run("bench", "--summary");
        assertTrue(out.contains("resface20 (112x96): 22.68 M parameters, 1.75 GMACs per image"), out);
        assertTrue(out.contains("resface36 (112x96): 32.79 M parameters, 3.34 GMACs per image"), out);
        assertTrue(out.contains("resface64 (112x96): 48.22 M parameters, 6.11 GMACs per image"), out);
        assertTrue(out.contains("lresnet50e-ir-112x112 (112x112)"), out);
    }

    @Test
    void timesAmfaceAlone() {
        String out = run("bench", "--models", "resface20", "--batch", "2", "--steps", "1", "--warmup", "0",
            "--phases", "infer", "--threads", "1", "--no-pytorch");
        assertTrue(out.matches("(?s).*resface20 infer fp32: amface [0-9.]+ img/s, pytorch n/a.*"), out);
        assertTrue(out.matches("(?s).*load average [0-9.]+ [0-9.]+ [0-9.]+ .*"), out);
    }

    @Test
    void bf16TrainingIsTimedBesideFp32() {
        org.junit.jupiter.api.Assumptions.assumeTrue(amface.nn.layers.Precision.bf16Problem() == null,
            "bf16 needs AVX512-BF16 or AMX: " + amface.nn.layers.Precision.bf16Problem());
        String out = run("bench", "--models", "resface20", "--batch", "2", "--steps", "1", "--warmup", "0",
            "--phases", "train", "--threads", "1", "--classes", "10", "--precision", "bf16", "--no-pytorch");
        assertTrue(out.matches("(?s).*resface20 train fp32: amface [0-9.]+ img/s, pytorch n/a.*"), out);
        assertTrue(out.matches("(?s).*resface20 train bf16: amface [0-9.]+ img/s, pytorch n/a.*"), out);
    }
}
