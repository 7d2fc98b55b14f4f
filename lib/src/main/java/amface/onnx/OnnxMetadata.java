package amface.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import amface.align.AlignTemplate;
import amface.eval.FlipMode;
import amface.image.PixelNormalisation;
import amface.nn.FaceModel;

/**
 * What a caller must do before and after an exported graph, as the ONNX file's {@code metadata_props} (and as
 * {@code amface export} prints them): input name, size, layout and channel order, the pixel normalisation as a
 * formula and as per-channel mean and scale, the alignment template, the output name and embedding size, and the
 * recommended test-time flip.
 *
 * <pre>{@code
 * Map<String, String> meta = OnnxMetadata.of(model);   // ordered: what to print
 * meta.get("mean");                                    // "127.5,127.5,127.5": y = (x - mean) * scale
 * }</pre>
 */
public final class OnnxMetadata {
    /** Names the layout of these keys, for readers that check it. */
    public static final String FORMAT = "amface-onnx-1";
    public static final String INPUT = "input";
    public static final String OUTPUT = "embedding";

    private OnnxMetadata() { }

    /** The model's preprocessing as read from the model: the one place an exporter learns it. */
    private record Preprocessing(String formula, String channelOrder, double mean, double scale, FlipMode flip, String fingerprint) { }

    /**
     * The single point where the export reads a model's normalisation, channel order and recommended flip (its
     * {@link amface.nn.ModelMetadata}; older model files give amface's (x - 127.5) / 128, RGB, no flip) and its
     * fingerprint (architecture + weights, the one that names checkpoints and gallery indexes).
     */
    private static Preprocessing preprocessing(FaceModel model) {
        PixelNormalisation n = model.normalisation();
        return new Preprocessing(n.formula(), n.channelOrder().name(), n.mean(), 1 / n.std(), FlipMode.parse(model.metadata().flip()),
            model.fingerprint());
    }

    /** This amface's version (Maven fills {@code amface/version.properties} in), or {@code unknown} outside a build. */
    public static String amfaceVersion() {
        try (InputStream in = OnnxMetadata.class.getResourceAsStream("/amface/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read amface/version.properties: " + e.getMessage(), e);
        }
    }

    /** The metadata of {@code model}'s export, in the order it is printed. */
    public static Map<String, String> of(FaceModel model) {
        Preprocessing p = preprocessing(model);
        int h = model.inputHeight(), w = model.inputWidth();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("amface.format", FORMAT);
        m.put("amface_version", amfaceVersion());
        m.put("backbone", model.spec().name());
        m.put("backbone_spec", model.spec().toString());
        m.put("model_fingerprint", p.fingerprint());
        m.put("input_name", INPUT);
        m.put("input_shape", "N,3," + h + "," + w);
        m.put("input_layout", "NCHW");
        m.put("channel_order", p.channelOrder());
        m.put("pixel_range", "0-255 (8-bit samples, before normalisation)");
        m.put("normalisation", p.formula());
        m.put("mean", triple(p.mean()));
        m.put("scale", triple(p.scale()));
        m.put("normalisation_as_mean_scale", "y = (x - mean) * scale, per channel");
        m.put("alignment", "5 MTCNN landmarks (left eye, right eye, nose, left and right mouth corner) mapped by a least-squares "
            + "similarity transform onto the template points; bilinear warp, black outside the photo");
        m.put("alignment_template", template(h, w));
        m.put("alignment_points", points(h, w));
        m.put("output_name", OUTPUT);
        m.put("output_shape", "N," + model.embeddingSize());
        m.put("embedding_size", Integer.toString(model.embeddingSize()));
        m.put("flip_mode", p.flip().cliName());
        m.put("flip_mode_meaning", flipMeaning(p.flip()));
        m.put("comparison", "L2-normalise the embeddings, then cosine similarity (or squared distance = 2 - 2 cos)");
        return m;
    }

    /** The amface template the input size is a scaling of, e.g. {@code 112x96} or {@code 112x96 scaled to 56x48}. */
    private static String template(int h, int w) {
        AlignTemplate t = AlignTemplate.ofShape(w, h);
        if (t == null) return "none (no amface template has the aspect ratio of " + h + "x" + w + ")";
        return t.height() == h && t.width() == w ? t.label() : t.label() + " scaled to " + h + "x" + w;
    }

    /** The five template points in input pixels, {@code x,y;x,y;...}; empty when no template fits. */
    private static String points(int h, int w) {
        AlignTemplate t = AlignTemplate.ofShape(w, h);
        if (t == null) return "";
        double s = (double) h / t.height();
        StringBuilder b = new StringBuilder();
        for (double[] pt : t.points()) {
            if (b.length() > 0) b.append(';');
            b.append(String.format(Locale.ROOT, "%.4f,%.4f", pt[0] * s, pt[1] * s));
        }
        return b.toString();
    }

    private static String flipMeaning(FlipMode f) {
        return switch (f) {
            case NONE -> "embed the image only";
            case SUM -> "embed the image and its left-right mirror and add the two embeddings";
            case MEAN -> "embed the image and its left-right mirror and average the two embeddings";
            case CONCAT -> "embed the image and its left-right mirror, L2-normalise each and concatenate them";
        };
    }

    private static String triple(double v) {
        String s = Double.toString(v); // shortest text that reads back as v: 127.5, 0.0078125
        return s + "," + s + "," + s;
    }
}
