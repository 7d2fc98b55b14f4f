package amface.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.nd4j.shade.protobuf.ByteString;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Writes an ONNX inference graph one operator at a time, with nd4j-api's generated {@code onnx.Onnx} classes:
 * float32 tensors, NCHW activations, and the handful of operators face backbones are made of (Conv with bias,
 * PRelu, BatchNormalization, Add, Flatten, Gemm). Each writer takes its input tensor names and plain float
 * arrays in ONNX's own layouts, and returns the name of its output, so exporters of other backbone families (and
 * an importer's round-trip tests) reuse them without knowing about DL4J.
 *
 * <pre>{@code
 * OnnxGraphWriter g = new OnnxGraphWriter("resface20");
 * String x = g.input("input", 3, 112, 96);                     // [N, 3, 112, 96], N dynamic
 * x = g.prelu("stem", g.conv("stem", x, w, bias, 64, 3, 3, 2, 1), alpha);
 * g.output(g.gemm("fc", g.flatten("flat", x), fcWeights, fcBias, 512, 512 * 7 * 6, "embedding"), 512);
 * ModelProto m = g.model(Map.of("embedding_size", "512"));
 * }</pre>
 *
 * <p>IR version 7 with opset 13: nd4j-api M2.1's classes know IR 8, but 7 is what ONNX 1.8 wrote for opset 13
 * and what every runtime of the last years reads (OpenCV 4.5's importer included); opset 13 is the oldest one the
 * issue allows and has everything above (BatchNormalization is still the inference-only version 9 there).
 */
public final class OnnxGraphWriter {
    /** The ONNX IR version written (ONNX 1.8, the release that introduced opset 13). */
    public static final long IR_VERSION = onnx.Onnx.Version.IR_VERSION_2020_5_8_VALUE;
    /** The default-domain opset written. */
    public static final long OPSET = 13;
    /** The symbolic batch dimension of the input and output. */
    public static final String BATCH = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private String producerName = "amface";
    private String producerVersion = "";

    /** A writer for a graph called {@code name}. */
    public OnnxGraphWriter(String name) {
        graph.setName(name);
    }

    /** The producer written into the model (default {@code amface}, no version). */
    public OnnxGraphWriter producer(String name, String version) {
        this.producerName = name;
        this.producerVersion = version;
        return this;
    }

    /** Declares the graph input {@code name}: float32 {@code [N, channels, height, width]} with a dynamic N. */
    public String input(String name, long channels, long height, long width) {
        graph.addInput(valueInfo(claim(name), channels, height, width));
        return name;
    }

    /** Declares {@code tensor} as a graph output of float32 {@code [N, features...]} with a dynamic N. */
    public void output(String tensor, long... features) {
        graph.addOutput(valueInfo(tensor, features));
    }

    /**
     * {@code Conv} with bias: weights {@code [out, in, k, k]} (OIHW, row-major), symmetric padding {@code pad},
     * stride {@code stride} on both axes.
     */
    public String conv(String name, String input, float[] weights, float[] bias, long out, long in, int kernel, int stride, int pad) {
        String w = initializer(name + ".weight", weights, out, in, kernel, kernel);
        String b = initializer(name + ".bias", bias, out);
        return node("Conv", name, new String[] {input, w, b},
            ints("kernel_shape", kernel, kernel), ints("strides", stride, stride), ints("pads", pad, pad, pad, pad),
            ints("dilations", 1, 1), integer("group", 1));
    }

    /** {@code PRelu} with one slope per channel of an NCHW tensor (slope shape {@code [C, 1, 1]} broadcasts over H, W). */
    public String prelu(String name, String input, float[] slopes) {
        String s = initializer(name + ".slope", slopes, slopes.length, 1, 1);
        return node("PRelu", name, new String[] {input, s});
    }

    /**
     * Inference {@code BatchNormalization} over axis 1 (channels of NCHW, features of [N, C]): for a batch norm that
     * cannot be folded into a neighbouring convolution or Gemm.
     */
    public String batchNorm(String name, String input, float[] gamma, float[] beta, float[] mean, float[] var, double epsilon) {
        long c = gamma.length;
        String[] in = {input, initializer(name + ".gamma", gamma, c), initializer(name + ".beta", beta, c),
            initializer(name + ".mean", mean, c), initializer(name + ".var", var, c)};
        return node("BatchNormalization", name, in, real("epsilon", epsilon));
    }

    /** Element-wise {@code Add} of two tensors of the same shape (a residual connection). */
    public String add(String name, String a, String b) {
        return node("Add", name, new String[] {a, b});
    }

    /** {@code Flatten} at axis 1: {@code [N, C, H, W]} to {@code [N, C*H*W]} in (c, h, w) order. */
    public String flatten(String name, String input) {
        return node("Flatten", name, new String[] {input}, integer("axis", 1));
    }

    /**
     * {@code Gemm} {@code y = x W^T + b} with weights {@code [out, in]} (row-major; transB = 1, PyTorch's Linear
     * layout, which OpenCV's importer maps onto its InnerProduct directly). The output is named {@code outputName},
     * or after the node when null.
     */
    public String gemm(String name, String input, float[] weights, float[] bias, long out, long in, String outputName) {
        String w = initializer(name + ".weight", weights, out, in);
        String b = initializer(name + ".bias", bias, out);
        // alpha = beta = 1 and transA = 0 are the defaults and left out: nd4j's classes are proto3, which drops a zero
        // INT, and OpenCV 4.5's importer then rejects the attribute as having no value.
        return node("Gemm", name, new String[] {input, w, b}, outputName, integer("transB", 1));
    }

    /** {@code Identity}: gives {@code input} the tensor name {@code outputName} (a graph output must be a node's output). */
    public String identity(String outputName, String input) {
        return node("Identity", outputName, new String[] {input}, outputName);
    }

    /** The model: this graph with the IR version, opset, producer and {@code metadata} (in iteration order). */
    public ModelProto model(Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName(producerName)
            .setProducerVersion(producerVersion)
            .setGraph(graph.build());
        for (Map.Entry<String, String> e : new LinkedHashMap<>(metadata).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    private String node(String op, String name, String[] inputs, AttributeProto... attributes) {
        return node(op, name, inputs, null, attributes);
    }

    private String node(String op, String name, String[] inputs, String outputName, AttributeProto... attributes) {
        String output = claim(outputName != null ? outputName : name + "." + op.toLowerCase(java.util.Locale.ROOT));
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name + "/" + op).addOutput(output);
        for (String i : inputs) n.addInput(i);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    private String initializer(String name, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + name + ": " + values.length + " values for shape " + java.util.Arrays.toString(dims));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(claim(name))
            .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** Tensor names are unique in a graph: a clash is a bug in the caller's naming, reported as such. */
    private String claim(String name) {
        if (!names.add(name)) throw new IllegalStateException("ONNX tensor name '" + name + "' used twice");
        return name;
    }

    private static ValueInfoProto valueInfo(String name, long... dimsAfterBatch) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dimsAfterBatch) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto type = TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    /** nd4j's classes are proto3, which does not write a zero INT: readers such as OpenCV then see no value at all. */
    private static AttributeProto integer(String name, long value) {
        if (value == 0) throw new IllegalArgumentException("attribute " + name + " = 0 would be written as no value; leave the default out");
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) value).build();
    }
}
