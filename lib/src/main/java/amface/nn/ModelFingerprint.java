package amface.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.io.Sha256;

/**
 * The identity of a network: SHA-256 over its architecture (the backbone description, the vertex prefix, and
 * every layer's name, type and parameter shapes in graph order) and its weights (every parameter as float32,
 * little-endian), and nothing else: no threshold, flip mode, class names, normalisation or optimiser state. Two
 * files with the same fingerprint compute the same function on the same input tensor. One definition, meant for
 * run folders, checkpoints and gallery indexes alike.
 *
 * <pre>{@code
 * String id = ModelFingerprint.of(model);          // 64 hex digits
 * String tag = ModelFingerprint.shortForm(id);     // 12, for folder names and messages
 * }</pre>
 */
public final class ModelFingerprint {
    private static final String VERSION = "amface-fingerprint-1";
    private static final int CHUNK = 1 << 16;

    private ModelFingerprint() { }

    /** The fingerprint of {@code model}'s network (64 hex digits); same as {@link FaceModel#fingerprint()}. */
    public static String of(FaceModel model) {
        return model.fingerprint();
    }

    /** The first 12 hex digits of a fingerprint, for folder names, messages and tables. */
    public static String shortForm(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    /** 64 hex digits. Reads every weight: about 0.1 s per 20 M parameters. */
    static String of(ComputationGraph graph, BackboneSpec spec, String prefix) {
        MessageDigest sha = Sha256.digest();
        StringBuilder arch = new StringBuilder(VERSION).append('\n');
        for (Map.Entry<Object, Object> e : new TreeMap<>(spec.toProperties()).entrySet()) {
            arch.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        arch.append("prefix=").append(prefix).append('\n');
        sha.update(arch.toString().getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            sha.update((name + ":" + layer.conf().getLayer().getClass().getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray a = p.getValue();
                String head = name + "/" + p.getKey() + java.util.Arrays.toString(a.shape()) + "\n";
                sha.update(head.getBytes(StandardCharsets.UTF_8));
                float[] values = (a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT)).dup('c').data().asFloat();
                for (int from = 0; from < values.length; from += CHUNK) {
                    int len = Math.min(CHUNK, values.length - from);
                    buf.clear();
                    buf.asFloatBuffer().put(values, from, len);
                    sha.update(buf.array(), 0, len * Float.BYTES);
                }
            }
        }
        return Sha256.hex(sha);
    }
}
