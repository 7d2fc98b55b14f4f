package amface.identification;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

/**
 * Readers for the MegaFace challenge-1 devkit's published formats, for users who still have the data (FaceScrub
 * and MegaFace are no longer distributed: the MegaFace site withdrew the download, so amface cannot test on the
 * real sets and runs {@link LfwDistractorProtocol} instead):
 * <ul>
 * <li>image lists: JSON objects with a {@code "path"} array (image paths relative to the dataset root, e.g.
 *     {@code megaface_features_list.json_1000000_1}) and, for the probe set, an {@code "id"} array of identity
 *     names of the same length ({@code facescrub_features_list.json});</li>
 * <li>feature files: one per image, at {@code FEATURES/<path><suffix>} (the devkit's suffix is
 *     {@code _<algorithm>.bin}), in the OpenCV matrix layout the devkit writes: four little-endian int32 (rows,
 *     cols, element size 4, OpenCV type 5 = CV_32F), then rows x cols float32. A feature is one row or one
 *     column.</li>
 * </ul>
 */
public final class MegaFaceLists {
    private static final int CV_32F = 5;

    private MegaFaceLists() { }

    /** An image list: paths and, for a probe list, identity names (null for a distractor list). */
    public record ImageList(List<String> paths, List<String> ids) { }

    public static ImageList readList(Path file) throws IOException {
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement e = new JsonParser().parse(in);
            if (!e.isJsonObject()) throw new IOException(file + ": expected a JSON object with a \"path\" array");
            root = e.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IOException("no MegaFace list " + file);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        List<String> paths = strings(root, "path", file);
        if (paths == null) throw new IOException(file + " has no \"path\" array");
        List<String> ids = strings(root, "id", file);
        if (ids != null && ids.size() != paths.size()) throw new IOException(file + ": " + paths.size() + " paths but " + ids.size() + " ids");
        return new ImageList(List.copyOf(paths), ids == null ? null : List.copyOf(ids));
    }

    private static List<String> strings(JsonObject root, String key, Path file) throws IOException {
        if (!root.has(key)) return null;
        if (!root.get(key).isJsonArray()) throw new IOException(file + ": \"" + key + "\" is not an array");
        JsonArray a = root.getAsJsonArray(key);
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement e = a.get(i);
            if (!e.isJsonPrimitive()) throw new IOException(file + ": \"" + key + "\"[" + i + "] is not a string");
            out.add(e.getAsString());
        }
        return out;
    }

    /** Reads one devkit feature file. */
    public static float[] readFeature(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no feature file " + file);
        }
        if (bytes.length < 16) throw new IOException(file + ": " + bytes.length + " bytes, shorter than the 16-byte header");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rows = b.getInt(), cols = b.getInt(), elemSize = b.getInt(), type = b.getInt();
        if (type != CV_32F || elemSize != 4) throw new IOException(file + ": OpenCV type " + type + " with " + elemSize + "-byte elements, expected CV_32F (5) with 4");
        if (rows < 1 || cols < 1 || rows != 1 && cols != 1) throw new IOException(file + ": a " + rows + " x " + cols + " matrix, expected one feature vector");
        long n = (long) rows * cols;
        if (bytes.length != 16 + 4 * n) throw new IOException(file + ": " + bytes.length + " bytes, expected " + (16 + 4 * n) + " for " + n + " floats (truncated?)");
        float[] f = new float[(int) n];
        for (int i = 0; i < f.length; i++) {
            f[i] = b.getFloat();
            if (!Float.isFinite(f[i])) throw new IOException(file + ": value " + i + " is " + f[i]);
        }
        return f;
    }

    /** Writes a feature file in the devkit's layout (for tests and for converting amface embeddings). */
    public static void writeFeature(Path file, float[] feature) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * feature.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(feature.length).putInt(1).putInt(4).putInt(CV_32F);
        for (float v : feature) b.putFloat(v);
        amface.io.AtomicFile.writeBytes(file, b.array());
    }

    /** The features of a list's images, L2-normalised, in list order. */
    public static float[][] readFeatures(ImageList list, Path featureRoot, String suffix) throws IOException {
        float[][] out = new float[list.paths().size()][];
        for (int i = 0; i < out.length; i++) out[i] = TemplatePooling.normalise(readFeature(featureRoot.resolve(list.paths().get(i) + suffix)));
        return out;
    }

    /** The distractors of a list, read a block at a time (a million feature files never sit in memory). */
    public static DistractorSource distractors(ImageList list, Path featureRoot, String suffix) {
        return new DistractorSource() {
            private int next;

            @Override
            public float[][] next(int max) throws IOException {
                int n = Math.min(max, list.paths().size() - next);
                float[][] out = new float[Math.max(0, n)][];
                for (int i = 0; i < out.length; i++) out[i] = TemplatePooling.normalise(readFeature(featureRoot.resolve(list.paths().get(next + i) + suffix)));
                next += out.length;
                return out;
            }
        };
    }

    /** Identity labels of a probe list (one int per distinct name, in first-seen order). */
    public static int[] labels(ImageList list) {
        if (list.ids() == null) throw new IllegalArgumentException("the list has no \"id\" array: it is not a probe list");
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        int[] out = new int[list.ids().size()];
        for (int i = 0; i < out.length; i++) out[i] = index.computeIfAbsent(list.ids().get(i), k -> index.size());
        return out;
    }
}
