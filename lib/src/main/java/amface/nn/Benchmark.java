package amface.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import amface.data.Progress;
import amface.nn.layers.MixedPrecision;
import amface.nn.layers.Precision;

/**
 * amface's side of {@code amface bench}: timed training steps and inference batches of one backbone on random
 * input, the same work as {@code bench/resface_torch.py} (training: forward, softmax cross-entropy over
 * {@code classes} through a bias-free linear head, backward, SGD with momentum 0.9 and weight decay 5e-4;
 * inference: the embedding graph's forward pass). Reports the median step, so a few slow steps on a busy
 * machine do not decide the figure.
 */
public final class Benchmark {
    private Benchmark() { }

    /** One timed phase: images per second of the median step, every step's seconds, peak resident memory. */
    public record Result(String model, String phase, double imagesPerSecond, double[] stepSeconds, long peakRssBytes) {
        /** Images per second of the fastest step: the least disturbed by other load on a shared machine. */
        public double bestImagesPerSecond(int batch) {
            return batch / Arrays.stream(stepSeconds).min().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return model + " " + phase + ": " + String.format(java.util.Locale.ROOT, "%.1f img/s (steps %s s), peak RSS %d MB",
                imagesPerSecond, Arrays.toString(stepSeconds), peakRssBytes >> 20);
        }
    }

    /** Inference: {@code steps} timed batches after {@code warmup} untimed ones. */
    public static Result inference(BackboneSpec spec, int batch, int warmup, int steps, Progress progress) {
        resetPeakRss();
        ComputationGraph graph = spec.embeddingGraph();
        INDArray x = input(spec, batch);
        double[] times = time(warmup, steps, () -> graph.outputSingle(false, x), progress, spec.name() + " infer");
        return result(spec, "infer", batch, times);
    }

    /**
     * Times inference of a backbone in a precision, or returns null where it cannot run that precision. amface's
     * fp32 graph ({@link #inference}) serves fp32 only; the inference engine (issue 15's BN-folded bf16/int8 engine)
     * plugs in here for {@code bf16} and {@code int8}.
     */
    @FunctionalInterface
    public interface InferenceTimer {
        Result time(BackboneSpec spec, String precision, int batch, int warmup, int steps, Progress progress);

        /** The fp32 graph for fp32, nothing else. */
        InferenceTimer GRAPH = (spec, precision, batch, warmup, steps, progress) ->
            "fp32".equals(precision) ? inference(spec, batch, warmup, steps, progress) : null;
    }

    /** Training: {@code steps} timed fit() calls after {@code warmup} untimed ones, in fp32. */
    public static Result training(BackboneSpec spec, int batch, int classes, int warmup, int steps, Progress progress) {
        return training(spec, batch, classes, warmup, steps, Precision.FP32, progress);
    }

    /** Training in {@code precision} (bf16: mixed precision, {@link MixedPrecision}). */
    public static Result training(BackboneSpec spec, int batch, int classes, int warmup, int steps, Precision precision, Progress progress) {
        try (MixedPrecision.Scope ignored = MixedPrecision.use(precision)) {
            return trainingInScope(spec, batch, classes, warmup, steps, progress);
        }
    }

    private static Result trainingInScope(BackboneSpec spec, int batch, int classes, int warmup, int steps, Progress progress) {
        resetPeakRss();
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
            .updater(new Nesterovs(0.01, 0.9)).weightDecay(5e-4)
            .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
            .graphBuilder().addInputs("input").setInputTypes(spec.inputType());
        String emb = spec.addTo(g, "input");
        g.addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).hasBias(false)
            .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), emb);
        ComputationGraph graph = new ComputationGraph(g.setOutputs("head").build());
        graph.init();
        INDArray x = input(spec, batch);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) labels.putScalar(i, (i * 7919L) % classes, 1f);
        MultiDataSet data = new MultiDataSet(x, labels);
        double[] times = time(warmup, steps, () -> graph.fit(data), progress, spec.name() + " train");
        return result(spec, "train", batch, times);
    }

    private static INDArray input(BackboneSpec spec, int batch) {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.rand(DataType.FLOAT, batch, spec.inputHeight(), spec.inputWidth(), 3).muli(2).subi(1);
    }

    private static double[] time(int warmup, int steps, Runnable step, Progress progress, String label) {
        List<Double> times = new ArrayList<>();
        int total = warmup + steps;
        progress.start(label, total);
        for (int i = 0; i < total; i++) {
            long t0 = System.nanoTime();
            step.run();
            double s = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) times.add(s);
            progress.update(i + 1, String.format(java.util.Locale.ROOT, "%s %.2f s", i < warmup ? "warm-up" : "step", s));
        }
        progress.finish(label + " done");
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Result result(BackboneSpec spec, String phase, int batch, double[] times) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Result(spec.name(), phase, batch / median, times, peakRss());
    }

    /** The machine's load averages over 1, 5 and 15 minutes ({@code /proc/loadavg}), or {@code n/a}: timings mean little under load. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** Peak resident set size of this process (VmHWM), or -1 where /proc is absent. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    /** Resets VmHWM (Linux: "5" to clear_refs) so each phase reports its own peak; harmless where unsupported. */
    private static void resetPeakRss() {
        System.gc();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException ignored) {
            // not Linux or not permitted: peaks then accumulate over phases
        }
    }
}
