package amface.nn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch side of {@code amface bench}: {@code bench/resface_torch.py} in a virtual environment that
 * {@code environment/pyvenv} creates from {@code bench/requirements.txt} (torch from PyPI).
 */
public final class TorchPeer {
    private final Path root;
    private final Path python;

    private TorchPeer(Path root, Path python) {
        this.root = root;
        this.python = python;
    }

    /**
     * How PyTorch runs: its memory format and autocast. {@link #FP32_BEST} and {@link #BF16_BEST} are the settings
     * PyTorch's CPU performance guide recommends (channels_last; plus bf16 autocast), which amface is compared with.
     */
    public record Setting(boolean channelsLast, boolean autocastBf16, boolean int8) {
        public static final Setting FP32_DEFAULT = new Setting(false, false, false);
        public static final Setting FP32_BEST = new Setting(true, false, false);
        public static final Setting BF16_BEST = new Setting(true, true, false);
        /** PyTorch's own int8 post-training quantization (FX graph mode, x86 backend; bench/resface_torch_int8.py), inference only. */
        public static final Setting INT8_PTQ = new Setting(true, false, true);

        /** For people: {@code bf16 autocast, channels_last}, {@code fp32, NCHW}, {@code int8 PTQ (x86), channels_last}. */
        public String describe() {
            return (int8 ? "int8 PTQ (x86)" : autocastBf16 ? "bf16 autocast" : "fp32") + ", " + (channelsLast ? "channels_last" : "NCHW");
        }

        List<String> flags() {
            List<String> f = new ArrayList<>();
            if (int8) return f; // the int8 script always quantizes for channels_last
            if (channelsLast) f.add("--channels-last");
            if (autocastBf16) f.addAll(List.of("--autocast", "bf16"));
            return f;
        }
    }

    /** The peer's result for one phase. */
    public record Result(double imagesPerSecond, double peakRssMb, String stepSeconds) { }

    /** Why the peer could not be set up. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** Creates (first time: pip install, minutes) or reuses the venv under {@code root/.cache}. */
    public static TorchPeer create(Path root) throws Unavailable {
        Path pyvenv = root.resolve("environment/pyvenv");
        Path reqs = root.resolve("bench/requirements.txt");
        if (!Files.isExecutable(pyvenv) || !Files.isRegularFile(reqs)) {
            throw new Unavailable("not in an amface checkout (no environment/pyvenv or bench/requirements.txt under " + root + ")");
        }
        String out = run(root, List.of(pyvenv.toString(), "bench", reqs.toString()), 3600);
        String[] lines = out.strip().split("\n");
        Path python = Path.of(lines[lines.length - 1].strip());
        if (!Files.isExecutable(python)) throw new Unavailable("environment/pyvenv printed no python: " + out);
        return new TorchPeer(root, python);
    }

    /** One phase in PyTorch's default setting (fp32, NCHW). */
    public Result run(String model, String phase, int batch, int threads, int warmup, int steps, int height, int width,
                      int classes) throws Unavailable {
        return run(model, phase, batch, threads, warmup, steps, height, width, classes, Setting.FP32_DEFAULT);
    }

    /** One phase in {@code setting}. */
    public Result run(String model, String phase, int batch, int threads, int warmup, int steps, int height, int width,
                      int classes, Setting setting) throws Unavailable {
        if (setting.int8() && !phase.equals("infer")) throw new IllegalArgumentException("PyTorch's int8 peer is inference only");
        List<String> cmd = new ArrayList<>(List.of(python.toString(),
            root.resolve(setting.int8() ? "bench/resface_torch_int8.py" : "bench/resface_torch.py").toString(),
            "--model", model, "--batch", Integer.toString(batch), "--threads", Integer.toString(threads),
            "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--height", Integer.toString(height),
            "--width", Integer.toString(width)));
        if (!setting.int8()) cmd.addAll(List.of("--phase", phase, "--classes", Integer.toString(classes)));
        cmd.addAll(setting.flags());
        String out = run(root, cmd, 7200);
        String json = out.strip().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
            .orElseThrow(() -> new Unavailable("bench/resface_torch.py printed no result: " + out));
        return new Result(number(json, "img_per_s"), number(json, "peak_rss_mb"), field(json, "step_seconds"));
    }

    private static double number(String json, String key) throws Unavailable {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE+]+)").matcher(json);
        if (!m.find()) throw new Unavailable("no '" + key + "' in the PyTorch result: " + json);
        return Double.parseDouble(m.group(1));
    }

    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*(\\[[^]]*])").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static String run(Path dir, List<String> cmd, long timeoutSeconds) throws Unavailable {
        try {
            Path err = Files.createTempFile("amface-bench", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
                pb.environment().remove("OMP_NUM_THREADS"); // the script sets its threads itself
                // PyTorch runs with its own OpenMP defaults (the launcher's PASSIVE wait policy is for amface)
                pb.environment().remove("OMP_WAIT_POLICY");
                Process p = pb.start();
                byte[] stdout = p.getInputStream().readAllBytes();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new Unavailable("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
                }
                if (p.exitValue() != 0) {
                    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
                    throw new Unavailable("'" + String.join(" ", cmd.subList(0, Math.min(2, cmd.size()))) + " ...' exited with "
                        + p.exitValue() + ":\n" + tail);
                }
                return new String(stdout, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new Unavailable("could not run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }
}
