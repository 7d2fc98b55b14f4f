package amface.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.data.Progress;
import amface.nn.layers.ChannelBatchNorm;
import amface.nn.layers.ConvBnPrelu;
import onnx.Onnx.ModelProto;

/**
 * Translates the part of a DL4J {@link ComputationGraph} that computes one vertex (a face model's embedding) into
 * an ONNX inference graph, vertex by vertex in topological order, through {@link OnnxGraphWriter}.
 *
 * <p>What it maps: {@link ConvBnPrelu} to Conv (batch norm folded into weights and bias) + PRelu;
 * {@link ChannelBatchNorm} folded into the Gemm it feeds or follows, else a BatchNormalization node; the
 * {@code Add} {@link ElementWiseVertex} to Add; {@link DenseLayer} (identity activation; its dropout is a no-op
 * at inference, as is a {@link DropoutLayer}) to Flatten + Gemm. Anything else is an {@link OnnxExportException}
 * naming the vertex.
 *
 * <p>Layouts: DL4J's activations here are NHWC, ONNX's NCHW. Convolution weights are OIHW in both, so only the
 * dense layer after the last convolution needs care: DL4J flattens [h, w, c] (its {@link
 * CnnToFeedForwardPreProcessor} reshapes NHWC in row-major order), ONNX's Flatten [c, h, w]. The Gemm's weight
 * columns are permuted from NHWC-flatten to NCHW-flatten order here, at export, rather than writing a Transpose
 * to NHWC before the Flatten: both give the same numbers in ONNX Runtime, but OpenCV's DNN importer keeps its
 * blobs NCHW and has its own rules for Transpose followed by Flatten (the pattern TensorFlow exports need
 * special-casing for), while Conv-Flatten-Gemm is the plain pattern every runtime runs, PyTorch's ResNets
 * included. It also costs nothing at inference.
 */
final class Dl4jGraphExporter {
    private final ComputationGraph graph;
    private final ComputationGraphConfiguration conf;
    private final OnnxGraphWriter out;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();

    private Dl4jGraphExporter(ComputationGraph graph, String name) {
        this.graph = graph;
        this.conf = graph.getConfiguration();
        this.out = new OnnxGraphWriter(name).producer("amface", OnnxMetadata.amfaceVersion());
    }

    /**
     * The ONNX model of {@code graph}'s vertex {@code output}: NCHW float input {@code inputName} of
     * {@code [N, 3, height, width]}, output {@code outputName} of {@code [N, features]}, with {@code metadata}.
     */
    static ModelProto export(ComputationGraph graph, String output, int height, int width, String inputName,
                             String outputName, String modelName, Map<String, String> metadata) {
        return export(graph, output, height, width, inputName, outputName, modelName, metadata, Progress.NONE);
    }

    /** As above, reporting the vertices converted to {@code progress}. */
    static ModelProto export(ComputationGraph graph, String output, int height, int width, String inputName,
                             String outputName, String modelName, Map<String, String> metadata, Progress progress) {
        Dl4jGraphExporter e = new Dl4jGraphExporter(graph, modelName);
        List<String> order = e.ancestorsInOrder(output);
        progress.start("ONNX export of " + modelName, order.size());
        for (int i = 0; i < order.size(); i++) {
            e.visit(order.get(i), height, width, inputName);
            progress.update(i + 1, order.get(i));
        }
        Value last = e.values.get(output);
        if (last.dims().length != 1) {
            throw new OnnxExportException("vertex '" + output + "' gives a " + (last.dims().length + 1) + "-d tensor, an embedding must be [N, features]");
        }
        String tensor = e.materialise(last, outputName);
        if (!tensor.equals(outputName)) throw new IllegalStateException("output written as " + tensor);
        e.out.output(outputName, last.dims());
        ModelProto model = e.out.model(metadata);
        progress.finish(order.size() + " vertices as " + model.getGraph().getNodeCount() + " ONNX nodes");
        return model;
    }

    /** {@code output} and every vertex it depends on, inputs before their consumers; counts consumers too. */
    private List<String> ancestorsInOrder(String output) {
        if (!conf.getVertices().containsKey(output) && !conf.getNetworkInputs().contains(output)) {
            throw new OnnxExportException("the graph has no vertex '" + output + "'");
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Deque<String[]> stack = new ArrayDeque<>();
        stack.push(new String[] {output, "enter"});
        consumers.merge(output, 1, Integer::sum); // the graph output consumes it
        while (!stack.isEmpty()) {
            String[] top = stack.pop();
            String v = top[0];
            if (top[1].equals("exit")) {
                if (done.add(v)) order.add(v);
                continue;
            }
            if (done.contains(v)) continue;
            stack.push(new String[] {v, "exit"});
            for (String in : inputsOf(v)) {
                consumers.merge(in, 1, Integer::sum);
                if (!done.contains(in)) stack.push(new String[] {in, "enter"});
            }
        }
        return order;
    }

    private List<String> inputsOf(String vertex) {
        if (conf.getNetworkInputs().contains(vertex)) return List.of();
        List<String> in = conf.getVertexInputs().get(vertex);
        return in == null ? List.of() : in;
    }

    private void visit(String v, int height, int width, String inputName) {
        if (conf.getNetworkInputs().contains(v)) {
            if (conf.getNetworkInputs().size() != 1) {
                throw new OnnxExportException("the graph has " + conf.getNetworkInputs().size() + " inputs; a face model has one image input");
            }
            values.put(v, new Written(out.input(inputName, 3, height, width), new long[] {3, height, width}));
            return;
        }
        GraphVertex vertex = conf.getVertices().get(v);
        List<Value> inputs = new ArrayList<>();
        for (String in : inputsOf(v)) inputs.add(values.get(in));
        if (vertex instanceof ElementWiseVertex ew) {
            values.put(v, add(v, ew, inputs));
        } else if (vertex instanceof LayerVertex lv) {
            values.put(v, layer(v, lv, single(v, inputs)));
        } else {
            throw unsupported(v, vertex.getClass().getSimpleName());
        }
    }

    private Value layer(String v, LayerVertex lv, Value input) {
        Layer layer = lv.getLayerConf().getLayer();
        InputPreProcessor pre = lv.getPreProcessor();
        if (pre != null && !(layer instanceof DenseLayer && pre instanceof CnnToFeedForwardPreProcessor)) {
            throw new OnnxExportException("vertex '" + v + "': input preprocessor " + pre.getClass().getSimpleName()
                + " before " + layer.getClass().getSimpleName() + " is not supported");
        }
        if (layer instanceof ConvBnPrelu c) return convBnPrelu(v, c, written(input));
        if (layer instanceof ChannelBatchNorm bn) return channelBatchNorm(v, bn, input);
        if (layer instanceof DenseLayer d) return dense(v, d, (CnnToFeedForwardPreProcessor) pre, input);
        if (layer instanceof DropoutLayer) return input; // identity at inference
        throw unsupported(v, layer.getClass().getSimpleName());
    }

    private Value convBnPrelu(String v, ConvBnPrelu c, Written x) {
        long[] d = x.dims();
        if (d.length != 3 || d[0] != c.getNIn()) {
            throw new OnnxExportException("vertex '" + v + "' needs " + c.getNIn() + " input channels, gets a tensor of " + describe(d));
        }
        int k = c.getKernel();
        double[] w = params(v, "W");
        ChannelAffine.Linear folded = batchNorm(v, c.getBnEpsilon()).affine()
            .afterLinear(new ChannelAffine.Linear(w, new double[(int) c.getNOut()]));
        String y = out.conv(v, x.tensor(), folded.floatWeights(), folded.floatBias(), c.getNOut(), c.getNIn(), k, c.getStride(), c.getPadding());
        if (c.isPrelu()) y = out.prelu(v, y, BatchNormParams.floats(params(v, "alpha")));
        return new Written(y, new long[] {c.getNOut(), c.outputSize(d[1]), c.outputSize(d[2])});
    }

    private Value channelBatchNorm(String v, ChannelBatchNorm bn, Value input) {
        BatchNormParams p = batchNorm(v, bn.getBnEpsilon());
        if (input.dims()[0] != p.gamma().length) {
            throw new OnnxExportException("vertex '" + v + "' normalises " + p.gamma().length + " channels, gets a tensor of " + describe(input.dims()));
        }
        if (input instanceof PendingGemm g && g.consumers() == 1) {
            return new PendingGemm(g.name(), g.input(), p.affine().afterLinear(g.linear()), g.dims(), consumersOf(v));
        }
        return new PendingNorm(v, written(input), p, consumersOf(v));
    }

    private Value dense(String v, DenseLayer d, CnnToFeedForwardPreProcessor pre, Value input) {
        if (!(d.getActivationFn() instanceof ActivationIdentity)) {
            throw new OnnxExportException("vertex '" + v + "': dense activation " + d.getActivationFn() + " is not supported (only identity)");
        }
        long[] dims = input.dims();
        long in = 1;
        for (long s : dims) in *= s;
        if (in != d.getNIn()) throw new OnnxExportException("vertex '" + v + "' takes " + d.getNIn() + " inputs, gets " + describe(dims));
        if (dims.length == 3 && pre == null) throw new OnnxExportException("vertex '" + v + "': a dense layer on an image tensor without a flatten preprocessor");
        int nIn = (int) d.getNIn(), nOut = (int) d.getNOut();
        // DL4J's W is [nIn, nOut]; ONNX's Gemm (transB = 1) wants [nOut, nIn] with columns in ONNX's flatten order.
        int[] dl4jIndex = flattenOrder(dims, pre);
        double[] w = params(v, "W");
        double[] gemmW = new double[w.length];
        for (int j = 0; j < nIn; j++) {
            int i = dl4jIndex[j];
            for (int o = 0; o < nOut; o++) gemmW[o * nIn + j] = w[i * nOut + o];
        }
        double[] bias = d.hasBias() ? params(v, "b") : new double[nOut];
        ChannelAffine.Linear linear = new ChannelAffine.Linear(gemmW, bias);
        Value source = input;
        if (input instanceof PendingNorm n && n.consumers() == 1) {
            linear = n.params().affine().beforeGemm(linear, channelOfColumn(dims));
            source = n.input();
        }
        String x = materialise(source, null);
        if (dims.length == 3) x = out.flatten(v + ".flatten", x);
        return new PendingGemm(v, x, linear, new long[] {nOut}, consumersOf(v));
    }

    /** For each ONNX flatten position (row-major over the dims), the position DL4J's flatten gives that value. */
    private static int[] flattenOrder(long[] dims, CnnToFeedForwardPreProcessor pre) {
        boolean nhwc = dims.length == 3 && pre.getFormat() == CNN2DFormat.NHWC;
        if (!nhwc) {
            int n = 1;
            for (long s : dims) n *= (int) s;
            int[] index = new int[n];
            for (int j = 0; j < n; j++) index[j] = j;
            return index;
        }
        return NhwcFlatten.nhwcIndexOfNchw((int) dims[0], (int) dims[1], (int) dims[2]);
    }

    /** The channel of each ONNX flatten position. */
    private static int[] channelOfColumn(long[] dims) {
        int per = 1;
        for (int i = 1; i < dims.length; i++) per *= (int) dims[i];
        int[] ch = new int[(int) dims[0] * per];
        for (int j = 0; j < ch.length; j++) ch[j] = j / per;
        return ch;
    }

    private Value add(String v, ElementWiseVertex ew, List<Value> inputs) {
        if (ew.getOp() != ElementWiseVertex.Op.Add) throw unsupported(v, "ElementWiseVertex " + ew.getOp());
        if (inputs.size() < 2) throw new OnnxExportException("vertex '" + v + "' adds " + inputs.size() + " inputs");
        long[] dims = inputs.get(0).dims();
        for (Value in : inputs) {
            if (!java.util.Arrays.equals(in.dims(), dims)) {
                throw new OnnxExportException("vertex '" + v + "' adds tensors of " + describe(dims) + " and " + describe(in.dims()));
            }
        }
        String sum = materialise(inputs.get(0), null);
        for (int i = 1; i < inputs.size(); i++) {
            sum = out.add(inputs.size() == 2 ? v : v + "." + i, sum, materialise(inputs.get(i), null));
        }
        return new Written(sum, dims);
    }

    private Written written(Value v) {
        return v instanceof Written w ? w : new Written(materialise(v, null), v.dims());
    }

    /** Writes a pending operator (once: its tensor is remembered) and returns its tensor name. */
    private String materialise(Value v, String outputName) {
        if (v instanceof Written w) {
            return outputName == null || outputName.equals(w.tensor()) ? w.tensor() : out.identity(outputName, w.tensor());
        }
        String tensor;
        if (v instanceof PendingNorm n) {
            tensor = n.written != null ? n.written : n.params().writeTo(out, n.name(), n.input().tensor());
            n.written = tensor;
        } else {
            PendingGemm g = (PendingGemm) v;
            tensor = g.written != null ? g.written
                : out.gemm(g.name(), g.input(), g.linear().floatWeights(), g.linear().floatBias(), g.linear().rows(), g.linear().columns(), outputName);
            g.written = tensor;
        }
        return outputName == null || outputName.equals(tensor) ? tensor : out.identity(outputName, tensor);
    }

    private BatchNormParams batchNorm(String v, double eps) {
        return new BatchNormParams(params(v, "gamma"), params(v, "beta"), params(v, "mean"), params(v, "var"), eps);
    }

    /** A parameter of layer {@code v} as doubles in row-major order, whatever the model's data type and ordering. */
    private double[] params(String v, String param) {
        INDArray p = graph.getLayer(v).getParam(param);
        if (p == null) throw new OnnxExportException("layer '" + v + "' has no parameter " + param);
        return p.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private int consumersOf(String v) {
        return consumers.getOrDefault(v, 0);
    }

    private static Value single(String v, List<Value> inputs) {
        if (inputs.size() != 1) throw new OnnxExportException("vertex '" + v + "' has " + inputs.size() + " inputs, a layer takes one");
        return inputs.get(0);
    }

    private static OnnxExportException unsupported(String v, String what) {
        return new OnnxExportException("cannot export vertex '" + v + "': " + what + " has no ONNX mapping here (supported: ConvBnPrelu, "
            + "ChannelBatchNorm, DenseLayer with identity activation, DropoutLayer, ElementWiseVertex Add)");
    }

    private static String describe(long[] dims) {
        return "shape [N, " + String.join(", ", java.util.Arrays.stream(dims).mapToObj(Long::toString).toList()) + "]";
    }

    /** A vertex's output on the ONNX side: its shape after the batch axis, written or still pending. */
    private sealed interface Value permits Written, PendingNorm, PendingGemm {
        long[] dims();
    }

    private record Written(String tensor, long[] dims) implements Value { }

    /** A batch norm not written yet: a Gemm it feeds may absorb it. */
    private static final class PendingNorm implements Value {
        private final String name;
        private final Written input;
        private final BatchNormParams params;
        private final int consumers;
        private String written;

        PendingNorm(String name, Written input, BatchNormParams params, int consumers) {
            this.name = name;
            this.input = input;
            this.params = params;
            this.consumers = consumers;
        }

        String name() { return name; }
        Written input() { return input; }
        BatchNormParams params() { return params; }
        int consumers() { return consumers; }
        @Override public long[] dims() { return input.dims(); }
    }

    /** A Gemm not written yet: a batch norm after it may be folded in. {@code input} is already flattened. */
    private static final class PendingGemm implements Value {
        private final String name;
        private final String input;
        private final ChannelAffine.Linear linear;
        private final long[] dims;
        private final int consumers;
        private String written;

        PendingGemm(String name, String input, ChannelAffine.Linear linear, long[] dims, int consumers) {
            this.name = name;
            this.input = input;
            this.linear = linear;
            this.dims = dims;
            this.consumers = consumers;
        }

        String name() { return name; }
        String input() { return input; }
        ChannelAffine.Linear linear() { return linear; }
        int consumers() { return consumers; }
        @Override public long[] dims() { return dims; }
    }
}
