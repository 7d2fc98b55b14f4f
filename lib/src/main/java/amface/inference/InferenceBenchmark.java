package amface.inference;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import amface.data.Progress;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.Threads;
import amface.nn.layers.Precision;

/**
 * The inference engine's side of {@code amface bench}: images per second of one backbone at one format (fp32, bf16,
 * int8 on the base format), median and best of timed batches of random input after warm-up, and the share of the
 * convolution-only limit reached (the batch time of the engine's convolution steps alone, timed step by step, against
 * the whole batch). int8 is calibrated on the same random input: the speed does not depend on the ranges. Every
 * figure carries the load average at the time, since the machine may be shared.
 *
 * <pre>{@code
 * InferenceBenchmark.Result r = InferenceBenchmark.run(BackboneSpec.named("resface20"), "bf16", 32, 3, 10, Progress.NONE);
 * System.out.println(r);   // resface20 infer bf16: 412.0 img/s (best 430.1), 71% of the conv-only limit 580, load 1.02
 * }</pre>
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {
    }

    /** One figure: median and best images per second, the convolution-only limit, the load average then. */
    public record Result(String model, String format, int batch, double imagesPerSecond, double bestImagesPerSecond,
                         double convOnlyImagesPerSecond, Map<String, Double> msPerKind, double loadAverage, double[] stepSeconds) {
        /** Share of the convolution-only limit reached (median). */
        public double convFraction() {
            return imagesPerSecond / convOnlyImagesPerSecond;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s infer %s: %.1f img/s (best %.1f), %.0f%% of the conv-only limit %.0f img/s, ms/batch %s, load %.2f",
                model, format, imagesPerSecond, bestImagesPerSecond, 100 * convFraction(), convOnlyImagesPerSecond, msPerKind, loadAverage);
        }
    }

    /**
     * {@code format}: {@code fp32}, {@code bf16}, {@code int8} (on fp32) or {@code int8+bf16}; {@code steps} timed
     * batches after {@code warmup}.
     */
    public static Result run(BackboneSpec spec, String format, int batch, int warmup, int steps, Progress progress) {
        FaceModel model = FaceModel.create(spec);
        boolean int8 = format.startsWith("int8");
        Precision base = format.equals("bf16") || format.equals("int8+bf16") ? Precision.BF16 : Precision.FP32;
        if (!int8 && !format.equals("fp32") && !format.equals("bf16")) {
            throw new IllegalArgumentException("format must be fp32, bf16, int8 or int8+bf16, got '" + format + "'");
        }
        int per = 3 * spec.inputHeight() * spec.inputWidth();
        float[] x = new float[per * batch];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
        InferenceEngine engine = InferenceEngine.of(model, base);
        try {
            if (int8) {
                Map<String, Float> ranges = new HashMap<>();
                try (InferenceEngine f = InferenceEngine.of(model, Precision.FP32)) {
                    CompiledNet net = f.net(batch);
                    net.in.put(x);
                    for (var v : net.trace().entrySet()) {
                        float m = 0;
                        for (float a : v.getValue()) m = Math.max(m, Math.abs(a));
                        ranges.put(v.getKey(), m);
                    }
                }
                engine.close();
                engine = InferenceEngine.of(model, base).withInt8(new Int8Scales(ranges, batch));
            }
            CompiledNet net = engine.net(batch);
            net.in.put(x);
            progress.start(spec.name() + " infer " + format, warmup + steps);
            for (int i = 0; i < warmup; i++) {
                net.run();
                progress.update(i + 1, "warm-up");
            }
            double[] seconds = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                net.run();
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                progress.update(warmup + i + 1, String.format(Locale.ROOT, "%.1f img/s", batch / seconds[i]));
            }
            Map<String, Double> kinds = new java.util.TreeMap<>();
            engine.profile(batch, Math.max(1, steps / 2)).forEach((k, v) -> kinds.put(k.name().toLowerCase(Locale.ROOT), Math.round(v * 10) / 10.0));
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            double conv = kinds.getOrDefault("conv", Double.NaN) / 1e3;
            Result res = new Result(spec.name(), engine.format(), batch, batch / median, batch / sorted[0], batch / conv, kinds, loadAverage(), seconds);
            progress.finish(res.toString());
            return res;
        } finally {
            engine.close();
        }
    }

    /** The one-minute load average (NaN where the OS does not say). */
    public static double loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    /**
     * {@code java ... amface.inference.InferenceBenchmark [threads] [model ...]}: every format of each model (or those
     * of {@code -Damface.bench.formats=fp32,bf16}), {@code -Damface.bench.warmup} and {@code -Damface.bench.steps}
     * batches of 32 (3 and 10).
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Threads.set(threads);
        String[] models = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {"resface20"};
        String all = Precision.bf16Problem() == null ? "fp32,bf16,int8,int8+bf16" : "fp32,int8";
        String[] formats = System.getProperty("amface.bench.formats", all).split(",");
        int warmup = Integer.getInteger("amface.bench.warmup", 3), steps = Integer.getInteger("amface.bench.steps", 10);
        for (String m : models) {
            for (String f : formats) System.out.println(run(BackboneSpec.named(m), f, 32, warmup, steps, Progress.NONE));
        }
    }
}
