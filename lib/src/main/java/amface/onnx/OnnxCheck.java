package amface.onnx;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import amface.image.RgbImage;
import amface.nn.FaceModel;

/**
 * An exported file checked against the model it came from: the same aligned images embedded by
 * {@link FaceModel#embed} and by OpenCV DNN reading the file, the input built from the file's own metadata
 * ({@link #nchw}), compared by max abs difference and smallest cosine. The tolerance is {@value #TOLERANCE} of the
 * largest embedding value, or absolute where that is below 1: float32 rounding grows with the values, and an
 * untrained L-ResNet50E-IR (reference init) gives embeddings in the hundreds, where 1e-4 absolute is below what
 * float32 can hold, while the cosines still agree to 1e-11.
 *
 * <pre>{@code
 * OnnxCheck c = OnnxCheck.run(model, Path.of("model.onnx"), faces, export.metadata());
 * c.maxAbsDiff();   // ~1e-6 for a float32 model
 * c.passes();       // within OnnxCheck.TOLERANCE (1e-4)
 * }</pre>
 */
public record OnnxCheck(int images, double maxAbsDiff, double minCosine, double maxAbsValue) {
    /** The largest max abs difference a float32 export may show, for embedding values up to 1 (relative above). */
    public static final double TOLERANCE = 1e-4;

    /** Embeds {@code images} (the model's input size) with {@code model} and with OpenCV DNN reading {@code onnxFile}. */
    public static OnnxCheck run(FaceModel model, Path onnxFile, List<RgbImage> images, Map<String, String> metadata) {
        try (OpenCvDnnRunner cv = new OpenCvDnnRunner(onnxFile)) {
            return compare(model.embed(images), cv.run(nchw(images, metadata), images.size(), model.inputHeight(), model.inputWidth()));
        }
    }

    /** As {@link #run}, with ONNX Runtime for Java reading {@code onnxFile} (and its metadata) instead of OpenCV DNN. */
    public static OnnxCheck runInOnnxRuntime(FaceModel model, Path onnxFile, List<RgbImage> images) {
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(java.nio.file.Files.readAllBytes(onnxFile))) {
            return compare(model.embed(images), ort.run(nchw(images, ort.metadata()), images.size(), model.inputHeight(), model.inputWidth()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(onnxFile + ": " + e.getMessage(), e);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(onnxFile + ": ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static OnnxCheck compare(float[][] want, float[][] got) {
        double scale = 0;
        for (float[] row : want) for (float v : row) scale = Math.max(scale, Math.abs(v));
        return new OnnxCheck(want.length, maxAbsDiff(want, got), minCosine(want, got), scale);
    }

    /** Whether the difference is within {@link #TOLERANCE} times the largest embedding value (at least 1). */
    public boolean passes() {
        return maxAbsDiff <= TOLERANCE * Math.max(1, maxAbsValue);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d images: max abs diff %.2e (largest value %.3g), min cosine 1 - %.1e (%s %.0e x max(1, largest value))",
            images, maxAbsDiff, maxAbsValue, 1 - minCosine, passes() ? "within" : "NOT within", TOLERANCE);
    }

    /**
     * The NCHW float batch a deployment builds from an exported file's metadata: channel order RGB, layout NCHW,
     * {@code (x - mean) * scale} per channel; independent of amface's {@code ImageTensors}.
     */
    public static float[] nchw(List<RgbImage> images, Map<String, String> metadata) {
        if (!"RGB".equals(metadata.get("channel_order")) || !"NCHW".equals(metadata.get("input_layout"))) {
            throw new IllegalArgumentException("not an amface export: channel order / layout " + metadata.get("channel_order") + " / " + metadata.get("input_layout"));
        }
        double[] mean = doubles(metadata.get("mean")), scale = doubles(metadata.get("scale"));
        int h = images.get(0).height(), w = images.get(0).width(), plane = h * w;
        float[] out = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            RgbImage img = images.get(n);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[(n * 3 + c) * plane + y * w + x] = (float) ((img.get(x, y, c) - mean[c]) * scale[c]);
                    }
                }
            }
        }
        return out;
    }

    private static double[] doubles(String csv) {
        String[] f = csv.split(",");
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i].trim());
        return v;
    }

    /** Largest absolute difference of two batches of embeddings of the same shape. */
    public static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " embeddings");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) throw new IllegalArgumentException("embedding " + i + ": " + a[i].length + " vs " + b[i].length + " values");
            for (int j = 0; j < a[i].length; j++) max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
        return max;
    }

    /** Smallest cosine similarity between corresponding embeddings of two batches. */
    public static double minCosine(float[][] a, float[][] b) {
        double min = 1;
        for (int i = 0; i < a.length; i++) {
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < a[i].length; j++) {
                dot += (double) a[i][j] * b[i][j];
                na += (double) a[i][j] * a[i][j];
                nb += (double) b[i][j] * b[i][j];
            }
            min = Math.min(min, dot / Math.sqrt(na * nb));
        }
        return min;
    }
}
