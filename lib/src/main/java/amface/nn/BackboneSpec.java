package amface.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import amface.nn.layers.ChannelBatchNorm;
import amface.nn.layers.ConvBnPrelu;

/**
 * An immutable description of a face backbone, and the code that adds it to a DL4J graph.
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
    private final Architecture architecture;
    private final int inputHeight;
    private final int inputWidth;
    private final int[] channels;
    private final int[] units;
    private final int embeddingSize;
    private final double dropoutKeep;
    private final int stemChannels;

    private BackboneSpec(Architecture architecture, int inputHeight, int inputWidth, int[] channels, int[] units,
                         int embeddingSize, double dropoutKeep, int stemChannels) {
        if (channels.length != units.length || channels.length == 0) {
            throw new IllegalArgumentException("channels " + Arrays.toString(channels) + " and units "
                + Arrays.toString(units) + " need one entry per stage");
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] < 1 || units[i] < (architecture == Architecture.RESFACE ? 0 : 1)) {
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

    private static final int[] WIDTHS = {64, 128, 256, 512};

    /** ResFace with the given residual units per stage, 112x96 input, 512-d embedding, keep probability 0.8. */
    public static BackboneSpec resFace(int... units) {
        return new BackboneSpec(Architecture.RESFACE, 112, 96, WIDTHS, units, 512, 0.8, 0);
    }

    public static BackboneSpec resFace20() {
        return resFace(1, 2, 4, 1);
    }

    public static BackboneSpec resFace36() {
        return resFace(2, 4, 8, 2);
    }

    public static BackboneSpec resFace64() {
        return resFace(3, 8, 16, 3);
    }

    /** L-ResNet50E-IR (3/4/14/3 IR units, 64-channel stem) at 112x96; {@code .input(112, 112)} for square chips. */
    public static BackboneSpec lResNet50eIr() {
        return new BackboneSpec(Architecture.LRESNET_E_IR, 112, 96, WIDTHS, new int[] {3, 4, 14, 3}, 512, 0.6, 64);
    }

    /** A spec by CLI name: resface20, resface36, resface64, lresnet50e-ir (112x96), lresnet50e-ir-112 (112x112). */
    public static BackboneSpec named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "resface20" -> resFace20();
            case "resface36" -> resFace36();
            case "resface64" -> resFace64();
            case "lresnet50e-ir" -> lResNet50eIr();
            case "lresnet50e-ir-112" -> lResNet50eIr().input(112, 112);
            default -> throw new IllegalArgumentException("unknown model '" + name
                + "' (known: resface20, resface36, resface64, lresnet50e-ir, lresnet50e-ir-112)");
        };
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

    public Architecture architecture() {
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

    /** A short name such as {@code resface20}, {@code resface20-16c-56x48} or {@code lresnet50e-ir-112x112}. */
    public String name() {
        StringBuilder s = new StringBuilder();
        if (architecture == Architecture.RESFACE) {
            int convs = channels.length;
            for (int u : units) convs += 2 * u;
            s.append("resface").append(convs);
        } else {
            int layers = 2; // stem conv + FC, two convs per IR unit: 3/4/14/3 units -> 50
            for (int u : units) layers += 2 * u;
            s.append("lresnet").append(layers).append("e-ir");
        }
        if (!Arrays.equals(channels, WIDTHS)) s.append('-').append(channels[0]).append('c');
        if (!(inputHeight == 112 && inputWidth == 96)) s.append('-').append(inputHeight).append('x').append(inputWidth);
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
        return architecture == Architecture.RESFACE ? addResFace(g, input, prefix) : addIr(g, input, prefix);
    }

    /** {@link #addTo(GraphBuilder, String, String)} without a prefix. */
    public String addTo(GraphBuilder g, String input) {
        return addTo(g, input, "");
    }

    private static ConvBnPrelu conv(int out, int kernel, int stride, boolean prelu) {
        return new ConvBnPrelu.Builder().nOut(out).kernel(kernel).stride(stride).prelu(prelu)
            .weightInit(WeightInit.XAVIER).bnEpsilon(1e-3).bnDecay(0.995).build();
    }

    private String addResFace(GraphBuilder g, String input, String p) {
        String last = input;
        for (int s = 0; s < channels.length; s++) {
            String stage = p + "stage" + (s + 1);
            g.addLayer(stage + "_down", conv(channels[s], 3, 2, true), last);
            last = stage + "_down";
            for (int u = 0; u < units[s]; u++) {
                String unit = stage + "_unit" + (u + 1);
                g.addLayer(unit + "_a", conv(channels[s], 3, 1, true), last);
                g.addLayer(unit + "_b", conv(channels[s], 3, 1, true), unit + "_a");
                // identity shortcut, no activation after the add (as in the reference)
                g.addVertex(unit + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), last, unit + "_b");
                last = unit + "_add";
            }
        }
        return addEmbedding(g, last, p, false);
    }

    private String addIr(GraphBuilder g, String input, String p) {
        g.addLayer(p + "stem", conv(stemChannels, 3, 1, true), input);
        String last = p + "stem";
        int in = stemChannels;
        for (int s = 0; s < channels.length; s++) {
            for (int u = 0; u < units[s]; u++) {
                String unit = p + "stage" + (s + 1) + "_unit" + (u + 1);
                int stride = u == 0 ? 2 : 1;
                g.addLayer(unit + "_bn", new ChannelBatchNorm.Builder().bnEpsilon(1e-3).bnDecay(0.995).build(), last);
                g.addLayer(unit + "_a", conv(channels[s], 3, 1, true), unit + "_bn");
                g.addLayer(unit + "_b", conv(channels[s], 3, stride, false), unit + "_a");
                String shortcut = last;
                if (stride != 1 || in != channels[s]) {
                    g.addLayer(unit + "_proj", conv(channels[s], 1, stride, false), last);
                    shortcut = unit + "_proj";
                }
                g.addVertex(unit + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), shortcut, unit + "_b");
                last = unit + "_add";
                in = channels[s];
            }
        }
        g.addLayer(p + "out_bn", new ChannelBatchNorm.Builder().bnEpsilon(1e-3).bnDecay(0.995).build(), last);
        return addEmbedding(g, p + "out_bn", p, true);
    }

    private String addEmbedding(GraphBuilder g, String last, String p, boolean batchNorm) {
        DenseLayer.Builder fc = new DenseLayer.Builder().nOut(embeddingSize).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER);
        if (dropoutKeep < 1) fc.dropOut(dropoutKeep);
        String name = p + "embedding";
        if (batchNorm) {
            g.addLayer(p + "fc", fc.build(), last);
            g.addLayer(name, new ChannelBatchNorm.Builder().bnEpsilon(1e-3).bnDecay(0.995).build(), p + "fc");
        } else {
            g.addLayer(name, fc.build(), last);
        }
        return name;
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
        Properties p = new Properties();
        p.setProperty("architecture", architecture.name());
        p.setProperty("inputHeight", Integer.toString(inputHeight));
        p.setProperty("inputWidth", Integer.toString(inputWidth));
        p.setProperty("channels", join(channels));
        p.setProperty("units", join(units));
        p.setProperty("embeddingSize", Integer.toString(embeddingSize));
        p.setProperty("dropoutKeep", Double.toString(dropoutKeep));
        p.setProperty("stemChannels", Integer.toString(stemChannels));
        return p;
    }

    /** Reads {@link #toProperties()}; a missing or malformed entry is an IllegalArgumentException naming it. */
    public static BackboneSpec fromProperties(Properties p) {
        try {
            return new BackboneSpec(Architecture.valueOf(required(p, "architecture")),
                Integer.parseInt(required(p, "inputHeight")), Integer.parseInt(required(p, "inputWidth")),
                ints(required(p, "channels")), ints(required(p, "units")),
                Integer.parseInt(required(p, "embeddingSize")), Double.parseDouble(required(p, "dropoutKeep")),
                Integer.parseInt(p.getProperty("stemChannels", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed backbone description: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("backbone description lacks '" + key + "'");
        return v.trim();
    }

    private static String join(int[] v) {
        return String.join(",", Arrays.stream(v).mapToObj(Integer::toString).toList());
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
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
