package amface.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.SyntheticFaces;
import amface.nn.layers.MixedPrecision;
import amface.nn.layers.Precision;

/**
 * A few steps of bf16 mixed-precision training track fp32's from the same seed: same data order, same
 * initialisation, only the convolutions' rounding differs. Stated tolerances: the first step's loss within 1e-3
 * relative (measured 4e-5), and the mean loss of the last 10 of 40 steps within a tenth of the starting loss of
 * fp32's (measured: start 4.4, fp32 0.51, bf16 0.67 under load), both below half the start. Skipped with the
 * reason where oneDNN has no bf16 kernels.
 */
class MixedPrecisionTrainingTest {

    private static List<Double> losses(TrainConfig c) {
        List<Double> losses = new ArrayList<>();
        Trainer.create(c).listener(new TrainListener() {
            @Override public void step(StepMetrics m) { losses.add(m.loss()); }
        }).run();
        return losses;
    }

    private static TrainConfig config(SyntheticFaces.Written faces, Path out, String precision) {
        TrainConfig c = TinyRuns.config(faces.train(), out);
        c.channels = "16,32,32,32"; // multiples of 16: oneDNN's jitted bf16 kernels, as in the real backbones
        c.units = "0,1,0,0";
        c.steps = 40;
        c.checkpointEvery = 40;
        c.precision = precision;
        return c;
    }

    @Test
    void bf16LossTracksFp32AndTheSettingEndsWithTheRun(@TempDir Path dir) throws Exception {
        assumeTrue(Precision.bf16Problem() == null, "bf16 needs AVX512-BF16 or AMX: " + Precision.bf16Problem());
        SyntheticFaces.Written faces = TinyRuns.faces();
        List<Double> fp32 = losses(config(faces, dir.resolve("fp32"), "fp32"));
        List<Double> bf16 = losses(config(faces, dir.resolve("bf16"), "auto")); // auto: bf16 on this CPU
        assertEquals(Precision.FP32, MixedPrecision.current(), "the run's precision ends with it");
        assertEquals(40, bf16.size());
        // step 1 runs the same weights on the same batch: only bf16's rounding differs
        assertEquals(fp32.get(0), bf16.get(0), 1e-3 * fp32.get(0), "first step");
        assertTrue(!bf16.get(0).equals(fp32.get(0)), "bf16 computed exactly as fp32: did it run?");
        // after that the runs part like two seeds of one recipe (batch 8: a noisy loss); over the last 10 steps
        // both must have learned alike, within a tenth of where they started
        double start = mean(fp32, 0, 5), endFp32 = mean(fp32, 30, 40), endBf16 = mean(bf16, 30, 40);
        System.out.printf("fp32 losses %s%nbf16 losses %s%nfirst 5 steps %.4f; last 10 steps fp32 %.4f, bf16 %.4f%n", fp32, bf16, start, endFp32, endBf16);
        assertTrue(Math.abs(endBf16 - endFp32) < 0.1 * start, "bf16 strays from fp32: last 10 steps " + endBf16 + " against " + endFp32
            + " (start " + start + ")");
        assertTrue(endFp32 < 0.5 * start && endBf16 < 0.5 * start, "both should learn: " + start + " -> " + endFp32 + ", " + endBf16);
    }

    private static double mean(List<Double> l, int from, int to) {
        return l.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void anInt8ModelIsRefusedAsAStartOfTraining(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Trainer.CHECKPOINT);
        amface.data.ZipEntries.write(file, java.util.Map.of(amface.nn.FaceModel.METADATA_ENTRY,
            "precision = int8\nflip = mean\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        TrainingException e = assertThrows(TrainingException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("int8-quantized model (precision = int8"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void aBadPrecisionNamesTheValue(@TempDir Path dir) throws Exception {
        TrainConfig c = config(TinyRuns.faces(), dir.resolve("x"), "fp16");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("fp16"), e.getMessage());
    }
}
