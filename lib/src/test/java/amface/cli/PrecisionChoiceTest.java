package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.nn.layers.CpuIsa;
import amface.nn.layers.Precision;

/**
 * What {@code auto} picks and what an impossible {@code bf16} says, in child JVMs whose oneDNN is capped by
 * {@code ONEDNN_MAX_CPU_ISA} (oneDNN reads it once per process): on a CPU with AVX512-BF16, uncapped {@code auto}
 * picks bf16; capped to AVX2 it picks fp32, and {@code train --precision bf16} stops with one clear line before
 * touching its run folder. Needs a bf16 CPU to show both sides; skipped elsewhere.
 */
class PrecisionChoiceTest {
    @TempDir
    Path tmp;

    private record Done(int code, String log) { }

    private Done run(String maxIsa, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-cp", System.getProperty("java.class.path"), "amface.cli.Main"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (maxIsa != null) pb.environment().put("ONEDNN_MAX_CPU_ISA", maxIsa);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the process hung:\n" + text);
        return new Done(p.exitValue(), text);
    }

    @Test
    void autoPicksBf16HereAndFp32UnderAnAvx2CapWhereExplicitBf16IsAClearError() throws Exception {
        assumeTrue(Precision.bf16Problem() == null, "needs a CPU with AVX512-BF16 or AMX: " + Precision.bf16Problem());
        Done here = run(null, "info");
        assertEquals(0, here.code(), here.log());
        assertTrue(here.log().contains("oneDNN ISA " + CpuIsa.current().name() + "; precision auto picks bf16"), here.log());

        Done capped = run("AVX2", "info");
        assertEquals(0, capped.code(), capped.log());
        assertTrue(capped.log().contains("oneDNN ISA avx2; precision auto picks fp32"), capped.log());

        Path out = tmp.resolve("run");
        Done refused = run("AVX2", "train", "--data", tmp.resolve("no-data").toString(), "--out", out.toString(), "--precision", "bf16");
        assertNotEquals(0, refused.code(), refused.log());
        assertTrue(refused.log().contains("precision bf16 is not available here: oneDNN sees avx2 on this CPU"), refused.log());
        assertFalse(refused.log().contains("\tat "), "one line, no stack trace:\n" + refused.log());
        assertFalse(Files.exists(out), "the refused run made no run folder");
    }
}
