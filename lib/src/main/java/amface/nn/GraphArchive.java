package amface.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A {@link ComputationGraph} as zip entries, in Deeplearning4j's own entry names and layouts
 * ({@code configuration.json}, {@code coefficients.bin}, {@code updaterState.bin}), read without running code
 * from the file.
 *
 * <p>Why not {@code ModelSerializer}: it also Java-deserialises a {@code preprocessor.bin} entry when one is
 * present, so a crafted model file could execute code. Here parameters are plain ND4J binary arrays, and the
 * configuration JSON may only name Deeplearning4j, ND4J and amface classes (Jackson instantiates what
 * {@code @class} names).
 */
public final class GraphArchive {
    public static final String CONFIGURATION = "configuration.json";
    public static final String PARAMETERS = "coefficients.bin";
    public static final String UPDATER = "updaterState.bin";
    private static final List<String> ALLOWED_CLASS_PREFIXES = List.of("org.deeplearning4j.", "org.nd4j.", "amface.");

    private GraphArchive() { }

    /** The graph's entries: configuration, parameters and (if asked and present) the optimizer state. */
    public static Map<String, byte[]> entries(ComputationGraph graph, boolean withUpdater) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        out.put(CONFIGURATION, graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        out.put(PARAMETERS, arrayBytes(graph.params()));
        if (withUpdater) {
            INDArray state = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
            if (state != null) out.put(UPDATER, arrayBytes(state));
        }
        return out;
    }

    /**
     * Rebuilds a graph from {@code entries}; {@code source} names the file in errors. The optimizer state is
     * restored when {@code withUpdater} and the entry is present.
     */
    public static ComputationGraph read(Map<String, byte[]> entries, String source, boolean withUpdater) {
        for (String required : List.of(CONFIGURATION, PARAMETERS)) {
            if (!entries.containsKey(required)) throw new ModelFileException(source + ": damaged model, it has no " + required);
        }
        String json = new String(entries.get(CONFIGURATION), StandardCharsets.UTF_8);
        checkClasses(json, source);
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new ModelFileException(source + ": damaged network configuration: " + e.getMessage(), e);
        }
        INDArray params = array(entries.get(PARAMETERS), source, PARAMETERS);
        ComputationGraph graph = new ComputationGraph(conf);
        try {
            graph.init(params, false);
        } catch (RuntimeException e) {
            throw new ModelFileException(source + ": " + params.length() + " parameters stored do not fit the network: " + e.getMessage(), e);
        }
        if (graph.params().length() != params.length()) {
            throw new ModelFileException(source + ": " + params.length() + " parameters stored, the network has " + graph.params().length());
        }
        if (withUpdater && entries.containsKey(UPDATER)) {
            INDArray state = array(entries.get(UPDATER), source, UPDATER);
            INDArray view = graph.getUpdater(true).getStateViewArray();
            if (view == null || view.length() != state.length()) {
                throw new ModelFileException(source + ": optimizer state has " + state.length() + " values, the network's optimizer needs "
                    + (view == null ? 0 : view.length()));
            }
            graph.getUpdater().setStateViewArray(state);
        }
        return graph;
    }

    /** Refuses configurations that name classes outside Deeplearning4j, ND4J and amface. */
    static void checkClasses(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelFileException(source + ": damaged network configuration: " + e.getMessage(), e);
        }
        List<JsonNode> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            JsonNode n = stack.remove(stack.size() - 1);
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getKey().equals("@class") && f.getValue().isTextual()) {
                        String cls = f.getValue().asText();
                        if (ALLOWED_CLASS_PREFIXES.stream().noneMatch(cls::startsWith)) {
                            throw new ModelFileException(source + ": refusing to load class " + cls + " named in the network configuration");
                        }
                    }
                    stack.add(f.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(stack::add);
            }
        }
    }

    private static byte[] arrayBytes(INDArray a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            Nd4j.write(a, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static INDArray array(byte[] bytes, String source, String entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(source + ": damaged " + entry + ": " + e.getMessage(), e);
        }
    }
}
