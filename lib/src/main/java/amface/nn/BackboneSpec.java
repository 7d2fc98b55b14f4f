package amface.nn;

import java.util.Arrays;
import java.util.Properties;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An immutable description of a face backbone: its family ({@link Backbone}, which builds the layers) and its sizes.
 *
 * <pre>{@code
 * BackboneSpec spec = BackboneSpec.resFace20();                        // 112x96, 64-128-256-512, 1/2/4/1 units
 * BackboneSpec tiny = BackboneSpec.resFace20().channels(16, 32, 64, 128).input(56, 48);
 * String emb = spec.addTo(graphBuilder, "input");                     // returns the embedding vertex name
 * ComputationGraph inference = spec.embeddingGraph();                 // input -> embedding only
 * }</pre>
 *
 * <p>Activations are NHWC throughout (the input is [batch, height, width, 3], pixels normalised as
 * {@code (x - 127.5) / 128}): the layout in which libnd4j's oneDNN convolutions were fastest here.
 */
public final class BackboneSpec {
    private final Backbone architecture;
    private final int inputHeight;
    private final int inputWidth;
    private final int[] channels;
    private final int[] units;
    private final int embeddingSize;
    private final double dropoutKeep;
    private final int stemChannels;

    BackboneSpec(Backbone architecture, int inputHeight, int inputWidth, int[] channels, int[] units,
                         int embeddingSize, double dropoutKeep, int stemChannels) {
        if (channels.length != units.length || channels.length == 0) {
            throw new IllegalArgumentException("channels " + Arrays.toString(channels) + " and units "
                + Arrays.toString(units) + " need one entry per stage");
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] < 1 || units[i] < architecture.minUnitsPerStage()) {
                throw new IllegalArgumentException("bad stage " + (i + 1) + ": channels " + channels[i] + ", units " + units[i]);
            }
        }
        if (inputHeight < 8 || inputWidth < 8) throw new IllegalArgumentException("input too small: " + inputHeight + "x" + inputWidth);
        if (embeddingSize < 1) throw new IllegalArgumentException("embedding size must be positive: " + embeddingSize);
        if (!(dropoutKeep > 0 && dropoutKeep <= 1)) throw new IllegalArgumentException("dropout keep probability must be in (0, 1]: " + dropoutKeep);
        this.architecture = architecture;
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
        this.channels = channels.clone();
        this.units = units.clone();
        this.embeddingSize = embeddingSize;
        this.dropoutKeep = dropoutKeep;
        this.stemChannels = stemChannels;
    }

    /** ResFace with the given residual units per stage, 112x96 input, 512-d embedding, keep probability 0.8. */
    public static BackboneSpec resFace(int... units) {
        return ResFace.spec(units);
    }

    public static BackboneSpec resFace20() {
        return named("resface20");
    }

    public static BackboneSpec resFace36() {
        return named("resface36");
    }

    public static BackboneSpec resFace64() {
        return named("resface64");
    }

    /** L-ResNet50E-IR (3/4/14/3 IR units, 64-channel stem) at 112x96; {@code .input(112, 112)} for square chips. */
    public static BackboneSpec lResNet50eIr() {
        return LResNetEIr.spec50();
    }

    /** A preset by CLI name from the {@link Backbone} registry ({@link Backbone#names()}). */
    public static BackboneSpec named(String name) {
        return Backbone.named(name);
    }

    public BackboneSpec input(int height, int width) {
        return new BackboneSpec(architecture, height, width, channels, units, embeddingSize, dropoutKeep, stemChannels);
    }

    public BackboneSpec channels(int... widths) {
        return new BackboneSpec(architecture, inputHeight, inputWidth, widths, units, embeddingSize, dropoutKeep,
            stemChannels == 0 ? 0 : widths[0]);
    }

    public BackboneSpec units(int... perStage) {
        return new BackboneSpec(architecture, inputHeight, inputWidth, channels, perStage, embeddingSize, dropoutKeep, stemChannels);
    }

    public BackboneSpec embeddingSize(int size) {
        return new BackboneSpec(architecture, inputHeight, inputWidth, channels, units, size, dropoutKeep, stemChannels);
    }

    /** Keep probability of the dropout before the FC (1 = no dropout). */
    public BackboneSpec dropoutKeep(double keep) {
        return new BackboneSpec(architecture, inputHeight, inputWidth, channels, units, embeddingSize, keep, stemChannels);
    }

    /** The family: builds the layers and names the depth. */
    public Backbone architecture() {
        return architecture;
    }

    public int inputHeight() {
        return inputHeight;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int[] channels() {
        return channels.clone();
    }

    public int[] units() {
        return units.clone();
    }

    public int embeddingSize() {
        return embeddingSize;
    }

    public double dropoutKeep() {
        return dropoutKeep;
    }

    /** Channels of the stem convolution, 0 for families without one. */
    public int stemChannels() {
        return stemChannels;
    }

    /** A short name such as {@code resface20}, {@code resface20-16c-56x48}, {@code lresnet50e-ir-112x112} or {@code iresnet50}. */
    public String name() {
        StringBuilder s = new StringBuilder(architecture.depthName(this));
        if (!Arrays.equals(channels, BackboneLayers.WIDTHS)) s.append('-').append(channels[0]).append('c');
        int[] usual = architecture.nativeInput();
        if (!(inputHeight == usual[0] && inputWidth == usual[1])) s.append('-').append(inputHeight).append('x').append(inputWidth);
        return s.toString();
    }

    /** The graph input: NHWC images of the input size. */
    public InputType inputType() {
        return InputType.convolutional(inputHeight, inputWidth, 3, CNN2DFormat.NHWC);
    }

    /** Spatial size after the backbone's stride-2 stages. */
    public int[] featureMapSize() {
        int h = inputHeight, w = inputWidth;
        for (int ignored : channels) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
        return new int[] {h, w};
    }

    /**
     * Adds the backbone's layers to {@code g}, reading from vertex {@code input}, and returns the name of the
     * embedding vertex (a dense layer of {@link #embeddingSize()} units, no activation). Layer names are
     * prefixed with {@code prefix}, which may be empty.
     */
    public String addTo(GraphBuilder g, String input, String prefix) {
        return architecture.addTo(g, this, input, prefix);
    }

    /** {@link #addTo(GraphBuilder, String, String)} without a prefix. */
    public String addTo(GraphBuilder g, String input) {
        return addTo(g, input, "");
    }

    /** The embedding-only graph's configuration (not initialised): for summaries and custom setups. */
    public ComputationGraphConfiguration embeddingGraphConfiguration(DataType dataType, long seed) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).graphBuilder()
            .addInputs("input").setInputTypes(inputType());
        String emb = addTo(g, "input");
        return g.setOutputs(emb).build();
    }

    /** An inference graph: input {@code "input"} -> embedding, float32, initialised with the reference init. */
    public ComputationGraph embeddingGraph() {
        return embeddingGraph(DataType.FLOAT, 12345);
    }

    /** An embedding-only graph in the given data type (tests use DOUBLE), initialised from {@code seed}. */
    public ComputationGraph embeddingGraph(DataType dataType, long seed) {
        ComputationGraph graph = new ComputationGraph(embeddingGraphConfiguration(dataType, seed));
        graph.init();
        return graph;
    }

    /** The spec as properties (stored in a model file; read back by {@link #fromProperties}). */
    public Properties toProperties() {
        return BackboneDescription.of(this);
    }

    /** Reads {@link #toProperties()}; a missing or malformed entry is an IllegalArgumentException naming it. */
    public static BackboneSpec fromProperties(Properties p) {
        return BackboneDescription.read(p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackboneSpec b && b.toProperties().equals(toProperties());
    }

    @Override
    public int hashCode() {
        return toProperties().hashCode();
    }

    @Override
    public String toString() {
        return name() + " " + inputHeight + "x" + inputWidth + " channels " + Arrays.toString(channels) + " units "
            + Arrays.toString(units) + " embedding " + embeddingSize + " keep " + dropoutKeep;
    }
}
