package amface.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import amface.inference.InferenceBenchmark;
import amface.nn.Backbone;
import amface.nn.BackboneSpec;
import amface.nn.Benchmark;
import amface.nn.ModelSummary;
import amface.nn.Threads;
import amface.nn.TorchPeer;
import amface.nn.layers.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = {
    "Benchmark the backbones against PyTorch on the same CPU, in one run: training steps (forward, softmax "
        + "cross-entropy, backward, SGD) and inference batches, median step time, images per second and the ratio.",
    "Each precision is held against PyTorch's best setting for it (channels_last; with bf16 autocast for bf16). "
        + "The PyTorch peer (bench/resface_torch.py) runs in a virtual environment created on first use."},
    subcommands = {BenchAlignCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--models", split = ",", completionCandidates = Backbone.Names.class,
        description = "Models (default: ${DEFAULT-VALUE}); known: ${COMPLETION-CANDIDATES}.", defaultValue = "resface20,resface36,lresnet50e-ir")
    List<String> models;

    @Option(names = "--batch", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "CPU threads for both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps per phase; the median counts (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--phases", split = ",", defaultValue = "infer,train", description = "infer, train or both (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(names = "--classes", defaultValue = "10575", description = "Classes of the training head (default: ${DEFAULT-VALUE}, CASIA-WebFace).")
    int classes;

    @Option(names = "--summary", description = "Print parameters and MACs of every model and exit.")
    boolean summary;

    @Option(names = "--no-pytorch", description = "Time amface only.")
    boolean noPytorch;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|auto", description = {
        "fp32: amface fp32 against PyTorch fp32 with channels_last (its best fp32 setting);",
        "bf16 (or auto where it resolves to bf16): that pair, plus amface bf16 against PyTorch bf16 autocast + channels_last",
        "(inference also int8, where an inference engine provides it) (default: ${DEFAULT-VALUE})."})
    String precision;

    /**
     * Times amface's inference in a precision: the BN-folded inference engine ({@code amface embed}'s), int8 with
     * its first and last layers in bf16 (its fastest int8); tests may swap in another timer (null: printed as n/a).
     */
    Benchmark.InferenceTimer inference = (spec, p, batch, warmup, steps, progress) -> {
        InferenceBenchmark.Result r = InferenceBenchmark.run(spec, p.equals("int8") ? "int8+bf16" : p, batch, warmup, steps, progress);
        return new Benchmark.Result(spec.name(), "infer", r.imagesPerSecond(), r.stepSeconds(), Benchmark.peakRss());
    };

    @Override
    public Integer call() {
        if (summary) {
            for (BackboneSpec spec : Backbone.allPresets().values()) System.out.println(ModelSummary.of(spec).line());
            return 0;
        }
        if (batch < 1 || threads < 1 || steps < 1 || warmup < 0) throw new UserError("--batch, --threads and --steps must be positive");
        for (String p : phases) {
            if (!p.equals("infer") && !p.equals("train")) throw new UserError("unknown phase '" + p + "' (infer, train)");
        }
        List<BackboneSpec> specs = models.stream().map(BackboneSpec::named).toList();
        Threads.set(threads);
        TorchPeer peer = null;
        String peerProblem = null;
        if (!noPytorch) {
            System.err.println("amface bench: preparing the PyTorch peer (first run: pip installs torch, a few minutes) ...");
            try {
                peer = TorchPeer.create(Path.of("").toAbsolutePath());
            } catch (TorchPeer.Unavailable e) {
                peerProblem = e.getMessage();
                System.out.println("amface bench: CANNOT create the PyTorch environment, timing amface only: " + peerProblem);
            }
        }
        System.out.printf(Locale.ROOT, "amface bench: batch %d, %d threads, %d warm-up + %d timed steps (median), %s%n",
            batch, threads, warmup, steps, amface.nn.Backend.describe().summary());
        System.out.println("amface bench: load average " + Benchmark.loadAverage() + " (1, 5, 15 min); timings under load are not speeds");
        List<String> precisions = precisions();
        ConsoleProgress progress = new ConsoleProgress();
        for (BackboneSpec spec : specs) {
            String name = spec.name();
            String peerModel = spec.input(112, 96).name(); // the peer script knows the nets by their 112x96 names
            for (String phase : phases) {
                Map<TorchPeer.Setting, TorchPeer.Result> peerResults = new HashMap<>();
                for (String p : phase.equals("train") ? precisions.stream().filter(q -> !q.equals("int8")).toList() : precisions) {
                    Benchmark.Result ours = phase.equals("infer")
                        ? inference.time(spec, p, batch, warmup, steps, progress)
                        : Benchmark.training(spec, batch, classes, warmup, steps, Precision.parse(p), progress);
                    // PyTorch's best setting for the precision; int8 is held against PyTorch's fastest inference here,
                    // its bf16 autocast or its own int8 post-training quantization, whichever is faster
                    List<TorchPeer.Setting> candidates = p.equals("fp32") ? List.of(TorchPeer.Setting.FP32_BEST)
                        : p.equals("int8") ? List.of(TorchPeer.Setting.BF16_BEST, TorchPeer.Setting.INT8_PTQ) : List.of(TorchPeer.Setting.BF16_BEST);
                    TorchPeer.Setting setting = candidates.get(0);
                    for (TorchPeer.Setting c : candidates) {
                        if (peer != null && !peerResults.containsKey(c)) {
                            try {
                                peerResults.put(c, peer.run(peerModel, phase, batch, threads, warmup, steps, spec.inputHeight(),
                                    spec.inputWidth(), classes, c));
                            } catch (TorchPeer.Unavailable e) {
                                peerProblem = e.getMessage();
                                System.out.println("amface bench: the PyTorch peer failed: " + peerProblem);
                                peerResults.put(c, null);
                            }
                        }
                        TorchPeer.Result r = peerResults.get(c), best = peerResults.get(setting);
                        if (r != null && (best == null || r.imagesPerSecond() > best.imagesPerSecond())) setting = c;
                    }
                    print(name + " " + phase + " " + p, ours, peerResults.get(setting), setting);
                }
            }
        }
        return peerProblem == null ? 0 : 3;
    }

    /** fp32 alone, or fp32 and bf16 (and int8 for inference) when bf16 is asked for and runs here. */
    private List<String> precisions() {
        Precision p;
        try {
            p = Precision.parse(precision).resolve();
        } catch (IllegalArgumentException e) {
            throw new UserError("--precision: " + e.getMessage(), e);
        }
        return p == Precision.BF16 ? List.of("fp32", "bf16", "int8") : List.of("fp32");
    }

    /** {@code resface20 train bf16: amface X img/s, pytorch Y img/s (bf16 autocast, channels_last), ratio Z.ZZx} and details. */
    private void print(String what, Benchmark.Result ours, TorchPeer.Result theirs, TorchPeer.Setting setting) {
        if (ours == null) {
            System.out.printf(Locale.ROOT, "%s: amface n/a (no inference engine for it in this build)%s%n", what,
                theirs == null ? "" : String.format(Locale.ROOT, ", pytorch %.1f img/s (%s)", theirs.imagesPerSecond(), setting.describe()));
            return;
        }
        if (theirs != null) {
            System.out.printf(Locale.ROOT, "%s: amface %.1f img/s, pytorch %.1f img/s (%s), ratio %.2fx%n", what,
                ours.imagesPerSecond(), theirs.imagesPerSecond(), setting.describe(), ours.imagesPerSecond() / theirs.imagesPerSecond());
            double theirBest = batch / minimum(theirs.stepSeconds());
            // the fastest step of each side is the least disturbed by other load on a shared machine
            System.out.printf(Locale.ROOT, "  peak memory: amface %d MB, pytorch %.0f MB; fastest step: amface %.1f img/s,"
                    + " pytorch %.1f img/s, ratio %.2fx; step seconds: amface %s, pytorch %s; load %s%n", ours.peakRssBytes() >> 20,
                theirs.peakRssMb(), ours.bestImagesPerSecond(batch), theirBest, ours.bestImagesPerSecond(batch) / theirBest,
                seconds(ours.stepSeconds()), theirs.stepSeconds(), Benchmark.loadAverage());
        } else {
            System.out.printf(Locale.ROOT, "%s: amface %.1f img/s, pytorch n/a%n", what, ours.imagesPerSecond());
            System.out.printf(Locale.ROOT, "  peak memory: amface %d MB; step seconds: %s; load %s%n", ours.peakRssBytes() >> 20,
                seconds(ours.stepSeconds()), Benchmark.loadAverage());
        }
    }

    /** The smallest number in a JSON list such as {@code [1.2, 0.9]}. */
    private static double minimum(String jsonList) {
        double min = Double.NaN;
        for (String part : jsonList.replaceAll("[\\[\\]\\s]", "").split(",")) {
            try {
                double v = Double.parseDouble(part);
                if (Double.isNaN(min) || v < min) min = v;
            } catch (NumberFormatException ignored) {
                // not a number: skip
            }
        }
        return min;
    }

    private static String seconds(double[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s[i]));
        return b.append(']').toString();
    }
}
