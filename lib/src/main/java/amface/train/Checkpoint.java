package amface.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A training checkpoint: one zip with the network (configuration JSON, parameters, optimizer state, all in
 * Deeplearning4j's layout), the {@link TrainState}, the {@link TrainConfig} and the identity names by class index.
 * Written to a temporary file and renamed over the old one, so a crash leaves the previous checkpoint whole.
 *
 * <p>Reading never runs code from the file: parameters are plain ND4J binary arrays, and the configuration may
 * name only Deeplearning4j, ND4J and amface classes (Deeplearning4j's own ModelSerializer would also unpickle a
 * Java-serialised entry if one were present).
 */
public record Checkpoint(ComputationGraph graph, TrainState state, TrainConfig config, List<String> identities) {
    static final String CONFIGURATION = "configuration.json";
    static final String PARAMETERS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";
    static final String STATE = "state.properties";
    static final String CONFIG = "config.properties";
    static final String IDENTITIES = "identities.txt";
    private static final List<String> ALLOWED_CLASS_PREFIXES = List.of("org.deeplearning4j.", "org.nd4j.", "amface.");

    /** Writes atomically to {@code file}. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                put(zip, CONFIGURATION, graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
                zip.putNextEntry(new ZipEntry(PARAMETERS));
                writeArray(zip, graph.params());
                zip.closeEntry();
                INDArray updater = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
                if (updater != null) {
                    zip.putNextEntry(new ZipEntry(UPDATER));
                    writeArray(zip, updater);
                    zip.closeEntry();
                }
                put(zip, STATE, properties(state.toProperties(), "amface training state"));
                put(zip, CONFIG, properties(config.toProperties(), "amface training config"));
                put(zip, IDENTITIES, (String.join("\n", identities) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a checkpoint; a missing or damaged file is a TrainingException naming it. */
    public static Checkpoint read(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) entries.put(e.getName(), zip.readAllBytes());
        } catch (NoSuchFileException e) {
            throw new TrainingException(file + ": no checkpoint there (nothing to resume)");
        } catch (IOException e) {
            throw new TrainingException(file + ": not a readable checkpoint: " + e.getMessage(), e);
        }
        for (String required : List.of(CONFIGURATION, PARAMETERS, STATE, CONFIG, IDENTITIES)) {
            if (!entries.containsKey(required)) throw new TrainingException(file + ": damaged checkpoint, it has no " + required);
        }
        String json = new String(entries.get(CONFIGURATION), StandardCharsets.UTF_8);
        checkClasses(json, file);
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new TrainingException(file + ": damaged network configuration: " + e.getMessage(), e);
        }
        INDArray params = readArray(entries.get(PARAMETERS), file, PARAMETERS);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(params, false);
        if (graph.params().length() != params.length()) {
            throw new TrainingException(file + ": " + params.length() + " parameters stored, the network has " + graph.params().length());
        }
        if (entries.containsKey(UPDATER)) {
            INDArray updater = readArray(entries.get(UPDATER), file, UPDATER);
            INDArray view = graph.getUpdater(true).getStateViewArray();
            if (view == null || view.length() != updater.length()) {
                throw new TrainingException(file + ": optimizer state has " + updater.length() + " values, the network's optimizer needs "
                    + (view == null ? 0 : view.length()));
            }
            graph.getUpdater().setStateViewArray(updater);
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

    /** Only the training state of a checkpoint (cheap: the network is not built). */
    public static TrainState readState(Path file) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(STATE)) return TrainState.fromProperties(load(zip.readAllBytes()), file + "!" + STATE);
            }
        }
        throw new TrainingException(file + ": damaged checkpoint, it has no " + STATE);
    }

    /** Refuses configurations that name classes outside Deeplearning4j, ND4J and amface. */
    static void checkClasses(String json, Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new TrainingException(file + ": damaged network configuration: " + e.getMessage(), e);
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
                            throw new TrainingException(file + ": refusing to load class " + cls + " named in the network configuration");
                        }
                    }
                    stack.add(f.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(stack::add);
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void writeArray(OutputStream out, INDArray a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            Nd4j.write(a, d);
        }
        bytes.writeTo(out);
    }

    private static INDArray readArray(byte[] bytes, Path file, String entry) {
        try (InputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read((DataInputStream) in);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException(file + ": damaged " + entry + ": " + e.getMessage(), e);
        }
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
