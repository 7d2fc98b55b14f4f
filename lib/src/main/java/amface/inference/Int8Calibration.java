package amface.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import amface.data.Progress;
import amface.image.ImageReader;
import amface.image.InputFit;
import amface.image.ImageTensors;
import amface.image.RgbImage;
import amface.image.TensorLayout;
import amface.nn.FaceModel;
import amface.nn.layers.Precision;

/**
 * Post-training int8 calibration: the f32 engine runs the calibration faces and records, for every value the int8
 * engine stores, the range of magnitudes it takes ({@link Int8Scales}: a high percentile, see {@link #KEPT}). Ranges come from a few hundred aligned faces
 * of the model's input size (more add little: the range of a batch-normalised activation settles quickly).
 *
 * <pre>{@code
 * List<RgbImage> faces = Int8Calibration.readFaces(Path.of("aligned"), 112, 96, 500).faces();
 * Int8Scales q = Int8Calibration.of(model).calibrate(faces, Progress.NONE);
 * }</pre>
 */
public final class Int8Calibration {
    private final FaceModel model;

    private Int8Calibration(FaceModel model) {
        this.model = model;
    }

    public static Int8Calibration of(FaceModel model) {
        return new Int8Calibration(model);
    }

    /** The faces read from a folder, and how many files were skipped (with the first reason). */
    public record Faces(List<RgbImage> faces, int skipped, String firstProblem) { }

    /**
     * Up to {@code limit} aligned faces of {@code height x width} from the image files under {@code dir} (any depth,
     * sorted by path), resized where the aspect ratio agrees ({@link InputFit}, as embed does); files that are not
     * images or have another aspect are skipped and counted. No usable face at
     * all is an error saying why.
     */
    public static Faces readFaces(Path dir, int height, int width, int limit) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("calibration folder " + dir + " does not exist or is not a folder");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(Int8Calibration::imageName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        List<RgbImage> faces = new ArrayList<>();
        int skipped = 0;
        String first = null;
        for (Path f : files) {
            if (faces.size() >= limit) break;
            String problem;
            try {
                RgbImage img = ImageReader.read(f);
                if (InputFit.fits(img.width(), img.height(), width, height)) { // embed's rule: resized when the aspect agrees
                    faces.add(InputFit.apply(img, width, height, f.toString()));
                    continue;
                }
                problem = f + " " + InputFit.refusal(img.width(), img.height(), width, height);
            } catch (RuntimeException | IOException e) {
                problem = f + " is not a readable image (" + e.getMessage() + ")";
            }
            skipped++;
            if (first == null) first = problem;
        }
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("calibration folder " + dir + " has no usable image: "
                + (files.isEmpty() ? "no .jpg/.jpeg/.png/.bmp file in it" : skipped + " files skipped, e.g. " + first)
                + " (give a few hundred faces aligned as for training, e.g. by amface align)");
        }
        return new Faces(faces, skipped, first);
    }

    private static boolean imageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    /** Runs the f32 engine over {@code faces} and returns the range of every stored value. */
    public Int8Scales calibrate(List<RgbImage> faces, Progress progress) {
        if (faces.isEmpty()) throw new IllegalArgumentException("no calibration faces");
        Map<String, Float> ranges = new HashMap<>();
        int per = ImageTensors.floatsPerImage(model.inputHeight(), model.inputWidth());
        progress.start("int8 calibration", faces.size());
        try (InferenceEngine engine = InferenceEngine.of(model, Precision.FP32)) {
            for (int from = 0; from < faces.size(); from += InferenceEngine.BATCH) {
                List<RgbImage> batch = faces.subList(from, Math.min(faces.size(), from + InferenceEngine.BATCH));
                float[] x = new float[per * batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    ImageTensors.fill(batch.get(i), TensorLayout.NHWC, false, model.normalisation(), x, i * per);
                }
                CompiledNet net = engine.net(batch.size());
                net.in.put(x);
                for (var v : net.trace().entrySet()) ranges.merge(v.getKey(), range(v.getValue()), Math::max);
                progress.update(from + batch.size(), batch.size() + " faces");
            }
        }
        progress.finish(ranges.size() + " activation ranges from " + faces.size() + " faces");
        return new Int8Scales(ranges, faces.size());
    }

    /** Cosine similarity of int8 to fp32 embeddings over some faces. */
    public record Agreement(int faces, double meanCosine, double worstCosine) { }

    /** How close {@code model}'s int8 embeddings at {@code q} are to its fp32 ones on {@code faces}. */
    public static Agreement agreement(FaceModel model, Int8Scales q, List<RgbImage> faces) {
        try (InferenceEngine f = InferenceEngine.of(model, Precision.FP32); InferenceEngine i8 = InferenceEngine.of(model, Precision.FP32).withInt8(q)) {
            float[][] a = f.embed(faces), b = i8.embed(faces);
            double sum = 0, worst = 1;
            for (int i = 0; i < a.length; i++) {
                double c = cosine(a[i], b[i]);
                sum += c;
                worst = Math.min(worst, c);
            }
            return new Agreement(a.length, sum / a.length, worst);
        }
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * Share of a batch's magnitudes a range keeps unclipped (1 = the maximum; system property for experiments). 0.9999 measured
     * best on the demo model over LFW: cosine to fp32 0.99979 mean against 0.99967 for the maximum, fold accuracy within 0.13 points.
     */
    static final double KEPT = Double.parseDouble(System.getProperty("amface.int8.kept", "0.9999"));

    /** The magnitude below which {@link #KEPT} of the batch's values lie: the rare largest ones saturate instead. */
    private static float range(float[] v) {
        if (KEPT >= 1) {
            float max = 0;
            for (float f : v) max = Math.max(max, Math.abs(f));
            return max;
        }
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
        java.util.Arrays.sort(a);
        return a[(int) Math.min(a.length - 1, Math.floor(KEPT * a.length))];
    }
}
