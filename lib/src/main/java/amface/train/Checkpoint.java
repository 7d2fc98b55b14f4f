package amface.train;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.deeplearning4j.nn.graph.ComputationGraph;

import amface.data.ZipEntries;
import amface.nn.FaceModel;
import amface.nn.GraphArchive;
import amface.nn.ModelFileException;

/**
 * A training checkpoint: one zip with the network (configuration JSON, parameters, optimizer state, all in
 * Deeplearning4j's layout), the {@link TrainState}, the {@link TrainConfig} and the identity names by class index.
 * Written to a temporary file and renamed over the old one, so a crash leaves the previous checkpoint whole.
 *
 * <p>Reading never runs code from the file ({@link GraphArchive}).
 */
public record Checkpoint(ComputationGraph graph, TrainState state, TrainConfig config, List<String> identities) {
    static final String STATE = "state.properties";
    static final String CONFIG = "config.properties";
    static final String IDENTITIES = "identities.txt";

    /** Writes atomically to {@code file}. */
    public void write(Path file) throws IOException {
        Map<String, byte[]> entries = GraphArchive.entries(graph, true);
        entries.put(STATE, properties(state.toProperties(), "amface training state"));
        entries.put(CONFIG, properties(config.toProperties(), "amface training config"));
        entries.put(IDENTITIES, (String.join("\n", identities) + "\n").getBytes(StandardCharsets.UTF_8));
        ZipEntries.write(file, entries);
    }

    /** Reads a checkpoint; a missing or damaged file is a TrainingException naming it. */
    public static Checkpoint read(Path file) throws IOException {
        Map<String, byte[]> entries;
        try {
            entries = ZipEntries.read(file);
        } catch (NoSuchFileException e) {
            throw new TrainingException(file + ": no checkpoint there (nothing to resume)");
        } catch (IOException e) {
            throw new TrainingException(file + ": not a readable checkpoint: " + e.getMessage(), e);
        }
        refuseQuantized(entries, file);
        for (String required : List.of(STATE, CONFIG, IDENTITIES)) {
            if (!entries.containsKey(required)) throw new TrainingException(file + ": damaged checkpoint, it has no " + required);
        }
        ComputationGraph graph;
        try {
            graph = GraphArchive.read(entries, file.toString(), true);
        } catch (ModelFileException e) {
            throw new TrainingException(e.getMessage(), e);
        }
        TrainState state = TrainState.fromProperties(load(entries.get(STATE)), file + "!" + STATE);
        TrainConfig config = TrainConfig.fromProperties(load(entries.get(CONFIG)), file + "!" + CONFIG);
        List<String> identities = new ArrayList<>();
        for (String line : new String(entries.get(IDENTITIES), StandardCharsets.UTF_8).split("\n")) if (!line.isEmpty()) identities.add(line);
        if (identities.size() != state.classes()) {
            throw new TrainingException(file + ": " + identities.size() + " identity names for " + state.classes() + " classes");
        }
        return new Checkpoint(graph, state, config, identities);
    }

    /**
     * Refuses a quantized model as the start of training: a file whose model metadata
     * ({@value FaceModel#METADATA_ENTRY}) has any key whose value is {@code int8} (such as {@code precision = int8}:
     * the inference engine's int8 models; its weights are rounded to 8 bits and cannot be trained on). The message
     * names the file and the key.
     */
    public static void refuseQuantized(Map<String, byte[]> entries, Path file) {
        byte[] meta = entries.get(FaceModel.METADATA_ENTRY);
        if (meta == null) return;
        Properties p;
        try {
            p = load(meta);
        } catch (IOException e) {
            throw new TrainingException(file + "!" + FaceModel.METADATA_ENTRY + ": unreadable: " + e.getMessage(), e);
        }
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            if ("int8".equalsIgnoreCase(p.getProperty(key).strip())) {
                throw new TrainingException(file + " is an int8-quantized model (" + key + " = int8 in " + FaceModel.METADATA_ENTRY
                    + "): training needs the fp32 model it was quantized from");
            }
        }
    }

    /** Only the training state of a checkpoint (cheap: the network is not built). */
    public static TrainState readState(Path file) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            var entry = zip.getEntry(STATE);
            if (entry != null) {
                try (var in = zip.getInputStream(entry)) {
                    return TrainState.fromProperties(load(in.readAllBytes()), file + "!" + STATE);
                }
            }
        }
        throw new TrainingException(file + ": damaged checkpoint, it has no " + STATE);
    }

    private static byte[] properties(Properties p, String comment) throws IOException {
        StringWriter w = new StringWriter();
        p.store(w, comment);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Properties load(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        return p;
    }
}
