package amface.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.io.FolderLock;
import amface.data.ZipEntries;
import amface.image.ImageTensors;
import amface.image.PixelNormalisation;
import amface.image.RgbImage;
import amface.image.TensorLayout;

/**
 * A face model: a DL4J {@link ComputationGraph} holding a backbone (and possibly a training head), the
 * {@link BackboneSpec} it was built from, optional class names and its {@link ModelMetadata} (pixel normalisation,
 * recommended flip mode, calibrated threshold). It embeds aligned images ({@link Embedder}) and saves to / loads
 * from a zip in DL4J's entry layout ({@link GraphArchive}) with an extra {@value #METADATA_ENTRY} entry (plain
 * properties: nothing in a model file is ever executed). {@link #fingerprint()} names its architecture and weights.
 *
 * <pre>{@code
 * FaceModel m = FaceModel.create(BackboneSpec.resFace20());   // untrained, embedding-only
 * float[][] e = m.embed(images);                              // images 96 wide, 112 high
 * m.save(Path.of("runs/x/model.zip"));
 * FaceModel back = FaceModel.load(Path.of("runs/x/model.zip"));
 * FaceModel.storeMetadata(file, back.metadata().withThreshold(t));  // rewrites only the metadata, atomically
 * }</pre>
 */
public final class FaceModel implements Embedder {
    /** Zip entry with the amface description of the model. */
    public static final String METADATA_ENTRY = "amface-model.properties";
    /** Layout of the network input. */
    public static final TensorLayout LAYOUT = TensorLayout.NHWC;
    private static final String FORMAT = "amface-model-1";
    private static final int EMBED_BATCH = 32;

    private final ComputationGraph graph;
    private final BackboneSpec spec;
    private final String prefix;
    private final List<String> classNames;
    private final ModelMetadata metadata;
    private ComputationGraph inference;

    /**
     * Wraps a graph whose backbone was added by {@code spec.addTo(builder, input, prefix)}; {@code classNames} may
     * be empty (an embedding-only model).
     */
    public FaceModel(ComputationGraph graph, BackboneSpec spec, String prefix, List<String> classNames) {
        this(graph, spec, prefix, classNames, ModelMetadata.DEFAULT);
    }

    /** As {@link #FaceModel(ComputationGraph, BackboneSpec, String, List)} with the given metadata. */
    public FaceModel(ComputationGraph graph, BackboneSpec spec, String prefix, List<String> classNames, ModelMetadata metadata) {
        this.graph = graph;
        this.spec = spec;
        this.prefix = prefix == null ? "" : prefix;
        this.classNames = List.copyOf(classNames);
        this.metadata = java.util.Objects.requireNonNull(metadata, "metadata");
        checkGraphMatchesSpec(graph, spec, this.prefix, "graph");
    }

    /** The same network (shared, not copied) with other metadata. */
    public FaceModel withMetadata(ModelMetadata m) {
        return new FaceModel(graph, spec, prefix, classNames, m);
    }

    /** An untrained embedding-only model with the reference initialisation. */
    public static FaceModel create(BackboneSpec spec) {
        return new FaceModel(spec.embeddingGraph(), spec, "", List.of());
    }

    public ComputationGraph graph() {
        return graph;
    }

    public BackboneSpec spec() {
        return spec;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Normalisation, recommended flip mode, stored threshold. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The pixel normalisation {@link #embed} applies. */
    public PixelNormalisation normalisation() {
        return metadata.normalisation();
    }

    /**
     * SHA-256 (64 hex digits) of the architecture and weights only: the same for any metadata (threshold, flip,
     * normalisation, class names), different when any weight changes. Reads every weight, so call it once.
     */
    public String fingerprint() {
        return ModelFingerprint.of(graph, spec, prefix);
    }

    /** Name of the embedding vertex in {@link #graph()}. */
    public String embeddingVertex() {
        return prefix + "embedding";
    }

    @Override
    public int inputHeight() {
        return spec.inputHeight();
    }

    @Override
    public int inputWidth() {
        return spec.inputWidth();
    }

    @Override
    public int embeddingSize() {
        return spec.embeddingSize();
    }

    @Override
    public float[][] embed(List<RgbImage> images) {
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != inputWidth() || img.height() != inputHeight()) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                    + " (width x height); " + spec.name() + " needs " + inputWidth() + "x" + inputHeight()
                    + " aligned faces");
            }
        }
        ComputationGraph net = inferenceGraph();
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += EMBED_BATCH) {
            List<RgbImage> batch = images.subList(from, Math.min(images.size(), from + EMBED_BATCH));
            INDArray x = ImageTensors.toTensor(batch, LAYOUT, false, metadata.normalisation());
            INDArray e = net.outputSingle(false, x);
            for (int i = 0; i < batch.size(); i++) {
                float[] row = e.getRow(i).toFloatVector();
                for (float v : row) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalStateException("embedding of image " + (from + i) + " holds NaN/Inf: the model's weights are not finite");
                    }
                }
                out[from + i] = row;
            }
        }
        return out;
    }

    /** The embedding-only graph, sharing nothing with a training graph: its parameters are copied on each call. */
    private synchronized ComputationGraph inferenceGraph() {
        if (prefix.isEmpty() && graph.getConfiguration().getNetworkOutputs().equals(List.of(embeddingVertex()))) {
            return graph;
        }
        if (inference == null) inference = spec.embeddingGraph(DataType.FLOAT, 0);
        copyBackbone(graph, prefix, inference, "", spec);
        return inference;
    }

    /** Copies this model's backbone (weights and batch-norm statistics) into {@code target}, built with {@code targetPrefix}. */
    public void copyBackboneTo(ComputationGraph target, String targetPrefix) {
        copyBackbone(graph, prefix, target, targetPrefix, spec);
    }

    /**
     * Copies the parameters of every backbone layer of {@code spec} from {@code from} (layer names prefixed with
     * {@code fromPrefix}) to {@code to} (prefixed with {@code toPrefix}), casting to {@code to}'s data type; other
     * layers (a head) are left alone. A layer missing or of another size is an IllegalStateException naming it.
     */
    public static void copyBackbone(ComputationGraph from, String fromPrefix, ComputationGraph to, String toPrefix, BackboneSpec spec) {
        for (Map.Entry<String, GraphVertex> v : spec.embeddingGraphConfiguration(DataType.FLOAT, 0).getVertices().entrySet()) {
            if (!(v.getValue() instanceof LayerVertex)) continue;
            Layer source = from.getLayer(fromPrefix + v.getKey()), target = to.getLayer(toPrefix + v.getKey());
            if (source == null || target == null || source.params().length() != target.params().length()) {
                throw new IllegalStateException("backbone layer '" + v.getKey() + "' cannot be copied: "
                    + (source == null ? "the source lacks it" : target == null ? "the target lacks it"
                    : source.params().length() + " parameters for " + target.params().length()));
            }
            // The flat parameter views have the same layout (same layer configuration): copy them as they are.
            // (Layer.setParams would reshape each parameter in 'f' order, scrambling amface's 'c'-order views.)
            target.params().assign(source.params().reshape(target.params().shape()));
        }
    }

    /** Saves atomically (temp file + rename) without the updater state. */
    public void save(Path file) {
        save(file, false);
    }

    /** Saves atomically; with {@code saveUpdater} the optimiser state too, so training can resume. */
    public void save(Path file, boolean saveUpdater) {
        try {
            Map<String, byte[]> entries = GraphArchive.entries(graph, saveUpdater);
            entries.put(METADATA_ENTRY, metadataBytes(properties()));
            ZipEntries.write(file, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save model to " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] metadataBytes(Properties p) throws IOException {
        java.io.StringWriter meta = new java.io.StringWriter();
        p.store(meta, "amface face model");
        return meta.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Properties properties() {
        Properties p = spec.toProperties();
        p.setProperty("format", FORMAT);
        p.setProperty("name", spec.name());
        p.setProperty("prefix", prefix);
        p.setProperty("layout", LAYOUT.name());
        metadata.writeTo(p);
        p.setProperty("classes", Integer.toString(classNames.size()));
        for (int i = 0; i < classNames.size(); i++) p.setProperty("class." + i, classNames.get(i));
        return p;
    }

    /** Loads a model saved by {@link #save}; anything else gives a {@link ModelFileException} naming the file. */
    public static FaceModel load(Path file) {
        return load(file, null, false);
    }

    /** Loads and checks it holds {@code expected} (same architecture and sizes), else a clear error. */
    public static FaceModel load(Path file, BackboneSpec expected) {
        return load(file, expected, false);
    }

    /** As {@link #load(Path, BackboneSpec)}; {@code loadUpdater} restores the optimiser state to resume training. */
    public static FaceModel load(Path file, BackboneSpec expected, boolean loadUpdater) {
        Map<String, byte[]> entries = readEntries(file);
        Properties meta = readProperties(file, entries);
        BackboneSpec spec;
        ModelMetadata metadata;
        try {
            spec = BackboneSpec.fromProperties(meta);
            metadata = ModelMetadata.readFrom(meta);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
        if (expected != null && !expected.equals(spec)) {
            throw new ModelFileException(file + " holds " + spec + ", expected " + expected);
        }
        ComputationGraph graph;
        try {
            graph = GraphArchive.read(entries, file.toString(), loadUpdater);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFileException("could not restore the network in " + file + ": " + e.getMessage(), e);
        }
        int n = Integer.parseInt(meta.getProperty("classes", "0"));
        List<String> classes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) classes.add(meta.getProperty("class." + i, ""));
        String prefix = meta.getProperty("prefix", "");
        try {
            return new FaceModel(graph, spec, prefix, classes, metadata);
        } catch (ModelFileException e) {
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the metadata of the model file {@code file} by {@code metadata}, atomically, leaving every other
     * entry (network, weights, optimiser state) byte for byte as it is. {@code expectedFingerprint} (or null) guards
     * against a file whose weights changed since the caller loaded it: then nothing is written.
     */
    public static void storeMetadata(Path file, ModelMetadata metadata, String expectedFingerprint) {
        // A read-modify-write: owned for its length, so two calibrations of one file never interleave.
        try (FolderLock owned = FolderLock.acquireFile(file, "store metadata in " + file)) {
            storeMetadataOwned(file, metadata, expectedFingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void storeMetadataOwned(Path file, ModelMetadata metadata, String expectedFingerprint) {
        Map<String, byte[]> entries = readEntries(file);
        Properties meta = readProperties(file, entries);
        if (expectedFingerprint != null) {
            // The weights about to be kept are the ones in these entries: check them, not a second read of the file.
            String now;
            try {
                now = ModelFingerprint.of(GraphArchive.read(entries, file.toString(), false), BackboneSpec.fromProperties(meta),
                    meta.getProperty("prefix", ""));
            } catch (ModelFileException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFileException("could not restore the network in " + file + ": " + e.getMessage(), e);
            }
            if (!now.equals(expectedFingerprint)) {
                throw new ModelFileException(file + " changed since it was loaded (weights " + ModelFingerprint.shortForm(now) + ", expected "
                    + ModelFingerprint.shortForm(expectedFingerprint) + "): nothing written");
            }
        }
        for (String key : List.copyOf(meta.stringPropertyNames())) {
            if (key.startsWith("normalisation") || key.equals("flip") || key.startsWith("threshold.")) meta.remove(key);
        }
        metadata.writeTo(meta);
        try {
            entries.put(METADATA_ENTRY, metadataBytes(meta));
            ZipEntries.write(file, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> readEntries(Path file) {
        if (!Files.isRegularFile(file)) throw new ModelFileException("no model file at " + file);
        Map<String, byte[]> entries;
        try {
            entries = ZipEntries.read(file);
        } catch (java.util.zip.ZipException e) {
            throw new ModelFileException(file + " is not a model file (not a zip archive: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model file " + file + ": " + e.getMessage(), e);
        }
        if (!entries.containsKey(GraphArchive.CONFIGURATION) || !entries.containsKey(GraphArchive.PARAMETERS)) {
            throw new ModelFileException(file + " is not a DL4J model file (no configuration.json / coefficients.bin)");
        }
        if (!entries.containsKey(METADATA_ENTRY)) {
            throw new ModelFileException(file + " is a DL4J model but not an amface face model (no " + METADATA_ENTRY + ")");
        }
        return entries;
    }

    private static Properties readProperties(Path file, Map<String, byte[]> entries) {
        Properties meta = new Properties();
        try {
            meta.load(new java.io.StringReader(new String(entries.get(METADATA_ENTRY), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(file + ": damaged " + METADATA_ENTRY + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(meta.getProperty("format"))) {
            throw new ModelFileException(file + " has model format '" + meta.getProperty("format") + "', this amface reads " + FORMAT);
        }
        return meta;
    }

    /** Every backbone layer of the spec must be in the graph with the same type and sizes. */
    private static void checkGraphMatchesSpec(ComputationGraph graph, BackboneSpec spec, String prefix, String what) {
        ComputationGraphConfiguration want = spec.embeddingGraphConfiguration(DataType.FLOAT, 0);
        ComputationGraphConfiguration have = graph.getConfiguration();
        for (var e : want.getVertices().entrySet()) {
            GraphVertex w = e.getValue(), h = have.getVertices().get(prefix + e.getKey());
            String problem = null;
            if (h == null) {
                problem = "has no vertex '" + prefix + e.getKey() + "'";
            } else if (w instanceof LayerVertex wl) {
                if (!(h instanceof LayerVertex hl)) {
                    problem = "vertex '" + prefix + e.getKey() + "' is not a layer";
                } else {
                    var wc = wl.getLayerConf().getLayer();
                    var hc = hl.getLayerConf().getLayer();
                    long wp = wc.initializer().numParams(wc), hp = hc.initializer().numParams(hc);
                    if (wc.getClass() != hc.getClass() || wp != hp) {
                        problem = "layer '" + prefix + e.getKey() + "' is " + hc.getClass().getSimpleName() + " with " + hp
                            + " parameters, " + spec.name() + " has " + wc.getClass().getSimpleName() + " with " + wp;
                    }
                }
            }
            if (problem != null) {
                throw new ModelFileException("the " + what + " is not a " + spec.name() + " network: it " + problem);
            }
        }
    }

    @Override
    public String toString() {
        return "FaceModel[" + spec + ", " + classNames.size() + " classes, " + metadata.normalisation().describe() + ", flip " + metadata.flip()
            + (metadata.hasThreshold() ? ", threshold " + metadata.threshold().similarity() : "") + "]";
    }

}
