package amface.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import amface.image.ImageTensors;
import amface.image.PixelNormalisation;
import amface.image.RgbImage;
import amface.image.TensorLayout;
import amface.nn.Embedder;
import amface.nn.FaceModel;
import amface.nn.layers.OneDnn;
import amface.nn.layers.Precision;

/**
 * A trained face model's embedding network compiled for inference: batch norm folded, oneDNN 2.5 primitives in
 * f32, bf16 or int8 ({@link CompiledNet} says which operator runs in which), NHWC activations kept in the compute
 * format between layers. The embeddings are those of {@link FaceModel#embed} (f32: to about 1e-5; bf16: cosine
 * about 0.9999; int8: see {@code amface quantize}). One compiled network per batch size used, kept.
 *
 * <pre>{@code
 * InferenceEngine e = InferenceEngine.of(FaceModel.load(path), Precision.AUTO);   // bf16 on an AVX512-BF16 CPU
 * float[][] emb = e.embed(alignedFaces);
 * InferenceEngine q = InferenceEngine.load(Path.of("model-int8.zip"), Precision.AUTO); // int8 where quantized
 * }</pre>
 */
public final class InferenceEngine implements Embedder, AutoCloseable {
    /** The batch the engine cuts longer lists into (the bench's and the reference's batch). */
    public static final int BATCH = 32;

    private final InferencePlan plan;
    private final Precision precision;
    private final Int8Scales int8;
    private final PixelNormalisation normalisation;
    private final int embeddingSize;
    private final Map<Integer, CompiledNet> nets = new HashMap<>();

    private InferenceEngine(InferencePlan plan, Precision precision, Int8Scales int8, PixelNormalisation normalisation, int embeddingSize) {
        this.plan = plan;
        this.precision = precision;
        this.int8 = int8;
        this.normalisation = normalisation;
        this.embeddingSize = embeddingSize;
    }

    /** {@code model} in {@code precision} ({@code auto} and {@code bf16} resolved: bf16 where it cannot run is an error). */
    public static InferenceEngine of(FaceModel model, Precision precision) {
        return new InferenceEngine(InferencePlan.of(model), precision.resolve(), null, model.normalisation(), model.embeddingSize());
    }

    /**
     * The model in {@code file}: int8 where {@code amface quantize} calibrated it (its first convolution and dense
     * layer then run in {@code precision}), else all in {@code precision}.
     */
    public static InferenceEngine load(Path file, Precision precision) {
        return of(FaceModel.load(file), precision).withInt8(Int8Scales.read(file));
    }

    /**
     * The embedder embed, eval and verify use for {@code model} (with its file's {@code int8} quantization, or null):
     * this engine in the resolved precision; where the engine cannot run the model (a layer it does not know, no
     * oneDNN on this backend) the model itself when fp32 was asked for, else an error saying why.
     */
    public static Embedder embedder(FaceModel model, Int8Scales int8, Precision precision) {
        Precision p = precision.resolve();
        try {
            if (!OneDnn.usable()) throw new IllegalStateException("it runs on oneDNN on the CPU backend only (" + describeNoOneDnn() + ")");
            return of(model, p).withInt8(int8);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (p == Precision.FP32 && int8 == null) return model;
            throw new IllegalArgumentException("the " + (int8 != null ? "int8" : p) + " inference engine cannot run this model: " + e.getMessage(), e);
        }
    }

    private static String describeNoOneDnn() {
        String problem = OneDnn.problem();
        return problem != null ? problem : "another ND4J backend, or amface.nn.conv=nd4j";
    }

    /** The same model with int8 convolutions at these calibrated scales (null: none). */
    public InferenceEngine withInt8(Int8Scales scales) {
        return new InferenceEngine(plan, precision, scales, normalisation, embeddingSize);
    }

    /** {@code fp32}, {@code bf16}, {@code int8+fp32} or {@code int8+bf16}: what runs. */
    public String format() {
        return int8 == null ? precision.toString() : "int8+" + precision;
    }

    public InferencePlan plan() {
        return plan;
    }

    @Override
    public int inputHeight() {
        return plan.height();
    }

    @Override
    public int inputWidth() {
        return plan.width();
    }

    @Override
    public int embeddingSize() {
        return embeddingSize;
    }

    @Override
    public synchronized float[][] embed(List<RgbImage> images) {
        float[][] out = new float[images.size()][];
        int per = ImageTensors.floatsPerImage(plan.height(), plan.width());
        for (int from = 0; from < images.size(); from += BATCH) {
            List<RgbImage> batch = images.subList(from, Math.min(images.size(), from + BATCH));
            float[] x = new float[per * batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                RgbImage img = batch.get(i);
                if (img.width() != plan.width() || img.height() != plan.height()) {
                    throw new IllegalArgumentException("image " + (from + i) + " is " + img.width() + "x" + img.height()
                        + " (width x height); the model needs " + plan.width() + "x" + plan.height() + " aligned faces");
                }
                ImageTensors.fill(img, TensorLayout.NHWC, false, normalisation, x, i * per);
            }
            float[][] e = run(x, batch.size());
            System.arraycopy(e, 0, out, from, e.length);
        }
        return out;
    }

    /** Embeddings of {@code n} normalised NHWC images in {@code x}. */
    synchronized float[][] run(float[] x, int n) {
        CompiledNet net = net(n);
        net.in.put(x);
        net.run();
        float[] flat = new float[n * net.features];
        net.out.get(flat);
        float[][] e = new float[n][];
        for (int i = 0; i < n; i++) {
            e[i] = java.util.Arrays.copyOfRange(flat, i * net.features, (i + 1) * net.features);
            for (float v : e[i]) {
                if (!Float.isFinite(v)) throw new IllegalStateException("embedding " + i + " holds NaN/Inf: the model's weights are not finite");
            }
        }
        return e;
    }

    /** Every named value for these images, step by step (for per-layer checks). */
    synchronized java.util.LinkedHashMap<String, float[]> trace(List<RgbImage> images) {
        int per = ImageTensors.floatsPerImage(plan.height(), plan.width());
        float[] x = new float[per * images.size()];
        for (int i = 0; i < images.size(); i++) ImageTensors.fill(images.get(i), TensorLayout.NHWC, false, normalisation, x, i * per);
        CompiledNet net = net(images.size());
        net.in.put(x);
        return net.trace();
    }

    synchronized CompiledNet net(int n) {
        return nets.computeIfAbsent(n, k -> new CompiledNet(plan, k, precision == Precision.BF16, int8));
    }

    /** oneDNN's implementation of each step for batch {@code n} ({@code ref:} marks a slow reference kernel). */
    public List<String> implementations(int n) {
        List<String> out = new ArrayList<>();
        for (CompiledNet.Step s : net(n).steps) out.add(s.kind() + " " + s.impl());
        return out;
    }

    /**
     * Milliseconds per batch of {@code n} spent in each kind of step (convolutions against the glue), timed step by
     * step over {@code runs} runs after one warm-up; the input is whatever is in the buffer (the timing does not
     * depend on values).
     */
    public synchronized Map<CompiledNet.Kind, Double> profile(int n, int runs) {
        CompiledNet net = net(n);
        net.run();
        Map<CompiledNet.Kind, Double> ms = new EnumMap<>(CompiledNet.Kind.class);
        for (int r = 0; r < runs; r++) {
            for (CompiledNet.Step s : net.steps) {
                long t0 = System.nanoTime();
                s.run();
                Dnnl.stream()._wait();
                ms.merge(s.kind(), (System.nanoTime() - t0) / 1e6 / runs, Double::sum);
            }
        }
        return ms;
    }

    @Override
    public synchronized void close() {
        nets.values().forEach(CompiledNet::close);
        nets.clear();
    }
}
