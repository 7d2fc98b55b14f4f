package amface.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import amface.data.Progress;
import amface.nn.layers.Precision;
import amface.nn.layers.StepProfile;

/**
 * Measurement, not a test (opt-in: {@code -Damface.nn.profile=true}): a ResFace20 (112x96) training step at batch
 * 32 in fp32 and bf16, alternated over rounds so that the shared machine's load hits both alike; per round the
 * median step, the process's CPU seconds per step, and where the time went ({@link StepProfile}: convolutions, batch norm + PReLU, and the rest).
 * {@code -Damface.nn.profile.model=resface36} profiles another backbone.
 */
@EnabledIfSystemProperty(named = "amface.nn.profile", matches = "true")
class TrainingStepProfile {
    /**
     * The process's CPU time: on a machine shared with other jobs it tracks the work a step does better than the
     * wall clock (the OpenMP threads wait passively), though it includes graph building, the warm-up and the JVM.
     */
    private static final com.sun.management.OperatingSystemMXBean CPU =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Test
    void fp32AgainstBf16() throws Exception {
        assumeTrue(Precision.bf16Problem() == null, String.valueOf(Precision.bf16Problem()));
        BackboneSpec spec = BackboneSpec.named(System.getProperty("amface.nn.profile.model", "resface20"));
        int batch = 32, warmup = 1, steps = Integer.getInteger("amface.nn.profile.steps", 4);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s train, batch %d, %d timed steps (+%d warm-up) per round%n",
            spec.name(), batch, steps, warmup));
        for (int round = 0; round < Integer.getInteger("amface.nn.profile.rounds", 2); round++) {
            for (Precision p : new Precision[] {Precision.FP32, Precision.BF16}) {
                StepProfile.reset();
                long cpu0 = CPU.getProcessCpuTime();
                Benchmark.Result r = Benchmark.training(spec, batch, 10575, warmup, steps, p, Progress.NONE);
                double cpuPerStep = (CPU.getProcessCpuTime() - cpu0) / 1e9 / (warmup + steps);
                double[] t = StepProfile.times();
                double perStep = 0;
                for (int i = 0; i < t.length; i++) {
                    t[i] /= warmup + steps;
                    perStep += t[i];
                }
                double step = batch / r.imagesPerSecond();
                out.append(String.format(Locale.ROOT, "round %d %s: %.1f img/s (median step %.2f s), process CPU %.2f s per step;"
                        + " per step %s, rest %.3f s; load %s%n",
                    round + 1, p, r.imagesPerSecond(), step, cpuPerStep, StepProfile.describe(t), step - perStep, Benchmark.loadAverage()));
            }
        }
        System.out.print(out);
        Files.writeString(Path.of(System.getProperty("amface.nn.profile.out", "target/training-step-profile.txt")), out);
    }
}
