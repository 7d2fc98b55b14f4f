package amface.inference;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import amface.data.ZipEntries;
import amface.nn.FaceModel;
import amface.nn.ModelFileException;

/**
 * A model's int8 post-training quantization: the calibrated range of every activation the int8 engine stores, by
 * value name (chosen by an {@link ActivationRange} rule from the calibration faces' histogram of the value; by
 * default the range of least squared error), and the operators {@link #kept} in the base format (f32 or bf16)
 * besides the first convolution and the dense layer, which always are. Activation {@code v} is stored as
 * {@code round(v * scale)} with {@code scale = 127 / range}. Weight scales are not stored: they are one per output
 * channel, {@code 127 / max |w[o]|}, computed from the weights themselves, which stay as trained (f32), so the
 * model's fingerprint is still that of its weights.
 *
 * <p>In the model file these are properties of the metadata entry: {@value #KEY}{@code =int8} (training refuses
 * such a model: {@code amface.train.Checkpoint.refuseQuantized}), {@code quantization.images}, one
 * {@code quantization.range.NAME} per value and {@code quantization.kept=NAME,...} where operators are kept (a file
 * without it, as written before, keeps none).
 *
 * <pre>{@code
 * Int8Scales q = Int8Scales.read(Path.of("model-int8.zip"));   // null for a model that is not quantized
 * }</pre>
 */
public record Int8Scales(Map<String, Float> ranges, int images, Set<String> kept) {
    /** The metadata key marking a quantized model. */
    public static final String KEY = "quantization";
    private static final String RANGE = KEY + ".range.";
    private static final String KEPT = KEY + ".kept";

    public Int8Scales {
        ranges = Map.copyOf(ranges);
        kept = Set.copyOf(kept);
    }

    /** Every operator in int8 but the first convolution and the dense layer. */
    public Int8Scales(Map<String, Float> ranges, int images) {
        this(ranges, images, Set.of());
    }

    /** Whether operator {@code name} runs in the base format (f32 or bf16) rather than int8. */
    public boolean keeps(String name) {
        return kept.contains(name);
    }

    /** The activation scale of value {@code name}. */
    public float scale(String name) {
        Float r = ranges.get(name);
        if (r == null) throw new IllegalStateException("the quantization has no range for value '" + name + "': recalibrate the model");
        return r > 0 ? 127f / r : 1f;
    }

    /** One scale per output channel of OIHW (or [out][in]) weights: {@code 127 / max |w[o]|}. */
    static float[] weightScales(float[] w, int out) {
        int per = w.length / out;
        float[] s = new float[out];
        for (int o = 0, at = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < per; i++, at++) max = Math.max(max, Math.abs(w[at]));
            s[o] = max > 0 ? 127f / max : 1f;
        }
        return s;
    }

    void writeTo(Properties p) {
        p.setProperty(KEY, "int8");
        p.setProperty(KEY + ".images", Integer.toString(images));
        for (var e : new TreeMap<>(ranges).entrySet()) p.setProperty(RANGE + e.getKey(), Float.toString(e.getValue()));
        if (!kept.isEmpty()) p.setProperty(KEPT, String.join(",", new TreeSet<>(kept)));
    }

    /** The quantization in these metadata properties, or null when there is none. */
    static Int8Scales readFrom(Properties p, String file) {
        String kind = p.getProperty(KEY);
        if (kind == null) return null;
        if (!kind.equals("int8")) throw new ModelFileException(file + ": unknown quantization '" + kind + "' (this amface knows int8)");
        Map<String, Float> ranges = new TreeMap<>();
        try {
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith(RANGE)) ranges.put(k.substring(RANGE.length()), Float.parseFloat(p.getProperty(k)));
            }
            Set<String> kept = new TreeSet<>();
            for (String k : p.getProperty(KEPT, "").split(",")) if (!k.isBlank()) kept.add(k.trim());
            return new Int8Scales(ranges, Integer.parseInt(p.getProperty(KEY + ".images", "0")), kept);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file + ": damaged quantization entry: " + e.getMessage(), e);
        }
    }

    /** The quantization stored in model file {@code file}, or null when it has none. */
    public static Int8Scales read(Path file) {
        return readFrom(properties(file), file.toString());
    }

    private static Properties properties(Path file) {
        try {
            Map<String, byte[]> entries = ZipEntries.read(file);
            byte[] meta = entries.get(FaceModel.METADATA_ENTRY);
            if (meta == null) throw new ModelFileException(file + " is not an amface face model (no " + FaceModel.METADATA_ENTRY + ")");
            Properties p = new Properties();
            p.load(new StringReader(new String(meta, StandardCharsets.UTF_8)));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code source}'s entries to {@code target} (atomically) with this quantization in its metadata. */
    public void writeModel(Path source, Path target) {
        try {
            Map<String, byte[]> entries = ZipEntries.read(source);
            Properties p = new Properties();
            p.load(new StringReader(new String(entries.get(FaceModel.METADATA_ENTRY), StandardCharsets.UTF_8)));
            for (String k : p.stringPropertyNames()) if (k.startsWith(KEY)) p.remove(k);
            writeTo(p);
            StringWriter w = new StringWriter();
            p.store(w, "amface face model, int8 quantized");
            entries.put(FaceModel.METADATA_ENTRY, w.toString().getBytes(StandardCharsets.UTF_8));
            ZipEntries.write(target, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }
}
