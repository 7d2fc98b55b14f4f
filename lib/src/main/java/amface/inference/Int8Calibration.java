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
import java.util.Set;
import java.util.stream.Stream;

import amface.data.Progress;
import amface.image.ImageReader;
import amface.image.InputFit;
import amface.image.RgbImage;
import amface.nn.FaceModel;
import amface.nn.layers.Precision;

/**
 * Post-training int8 calibration: the f32 engine runs the calibration faces and records, for every value the int8
 * engine stores, a histogram of its magnitudes, from which an {@link ActivationRange} rule picks its range
 * ({@link Int8Scales}; by default the range of least squared error). Ranges come from a few hundred aligned faces of
 * the model's input size, of people other than those the quantized model is evaluated on.
 *
 * <pre>{@code
 * List<RgbImage> faces = Int8Calibration.readFaces(Path.of("aligned"), 112, 96, 500).faces();
 * Int8Scales q = Int8Calibration.of(model).calibrate(faces, Progress.NONE);
 * Int8Scales p = Int8Calibration.of(model).rule(ActivationRange.percentile(0.9999)).keep(Set.of("stage4_down")).calibrate(faces, Progress.NONE);
 * }</pre>
 */
public final class Int8Calibration {
    private final FaceModel model;
    private final ActivationRange rule;
    private final Set<String> kept;

    private Int8Calibration(FaceModel model, ActivationRange rule, Set<String> kept) {
        this.model = model;
        this.rule = rule;
        this.kept = kept;
    }

    /** Ranges of least squared error ({@link ActivationRange#MSE}), every operator but the first and last in int8. */
    public static Int8Calibration of(FaceModel model) {
        return new Int8Calibration(model, ActivationRange.MSE, Set.of());
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

    /** The same calibration choosing activation ranges by {@code rule} (default {@link ActivationRange#MSE}). */
    public Int8Calibration rule(ActivationRange rule) {
        return new Int8Calibration(model, rule, kept);
    }

    /** The same calibration keeping operators {@code names} in the base format (f32 or bf16) instead of int8. */
    public Int8Calibration keep(Set<String> names) {
        InferencePlan plan = InferencePlan.of(model);
        for (String n : names) {
            if (plan.op(n) == null) throw new IllegalArgumentException("the model has no operator '" + n + "' to keep out of int8 (it has "
                + plan.ops().stream().map(InferencePlan.Op::name).toList() + ")");
        }
        return new Int8Calibration(model, rule, Set.copyOf(names));
    }

    /**
     * Runs the f32 engine over {@code faces} twice (the largest magnitude of every stored value, then their
     * histograms) and returns the range {@link #rule} picks for each.
     */
    public Int8Scales calibrate(List<RgbImage> faces, Progress progress) {
        if (faces.isEmpty()) throw new IllegalArgumentException("no calibration faces");
        InferencePlan plan = InferencePlan.of(model);
        Map<String, Double> max = new HashMap<>();
        Map<String, ActivationRange.Histogram> histograms = new HashMap<>();
        progress.start("int8 calibration", 2L * faces.size());
        try (InferenceEngine engine = InferenceEngine.of(model, Precision.FP32)) {
            for (int pass = 0; pass < 2; pass++) {
                for (int from = 0; from < faces.size(); from += InferenceEngine.BATCH) {
                    List<RgbImage> batch = faces.subList(from, Math.min(faces.size(), from + InferenceEngine.BATCH));
                    for (var v : engine.trace(batch).entrySet()) {
                        Stored s = stored(plan, v.getKey());
                        float[] x = v.getValue();
                        if (pass == 0) {
                            double m = 0;
                            for (int i = 0; i < x.length; i++) m = Math.max(m, s.magnitude(x[i], i));
                            max.merge(v.getKey(), m, Math::max);
                        } else {
                            ActivationRange.Histogram h = histograms.computeIfAbsent(v.getKey(), k -> new ActivationRange.Histogram(max.get(k)));
                            for (int i = 0; i < x.length; i++) h.add(s.magnitude(x[i], i), s.weight(x[i], i));
                        }
                    }
                    progress.update(pass * faces.size() + from + batch.size(), batch.size() + " faces");
                }
            }
        }
        Map<String, Float> ranges = new HashMap<>();
        histograms.forEach((k, h) -> ranges.put(k, rule.choose(h)));
        progress.finish(ranges.size() + " activation ranges (" + rule + ") from " + faces.size() + " faces");
        return new Int8Scales(ranges, faces.size(), kept);
    }

    /**
     * What int8 stores of a traced value (the traces hold convolutions before their PReLU) and how much its error
     * counts. An int8 convolution saturates and rounds before its PReLU, which then scales a negative value's error by
     * its slope: the error counts {@code alpha^2}. A convolution left in f32/bf16 is quantized after its PReLU: the
     * stored magnitude is PReLU's output.
     */
    private Stored stored(InferencePlan plan, String value) {
        if (!(plan.op(value) instanceof InferencePlan.Conv c) || c.alpha() == null) return Stored.PLAIN;
        boolean quantizedInside = !c.input().equals(plan.input()) && !kept.contains(c.name());
        return new Stored(c.alpha(), quantizedInside);
    }

    private record Stored(float[] alpha, boolean beforePrelu) {
        static final Stored PLAIN = new Stored(null, false);

        double magnitude(float v, int i) {
            if (alpha == null || v >= 0 || beforePrelu) return Math.abs(v);
            return Math.abs(v * alpha[i % alpha.length]); // NHWC: the channel varies fastest
        }

        double weight(float v, int i) {
            if (alpha == null || v >= 0 || !beforePrelu) return 1;
            float a = alpha[i % alpha.length];
            return a * a;
        }
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
}
