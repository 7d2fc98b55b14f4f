package amface.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import amface.data.Progress;
import amface.image.PixelNormalisation;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.IResNet;
import amface.nn.ModelMetadata;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Reads an ONNX file exported from insightface's arcface_torch IResNet ({@code torch2onnx.py}: eval mode, opset 11
 * or later) onto amface's {@link IResNet} backbone, as a {@link FaceModel} whose metadata carries insightface's
 * normalisation ({@link PixelNormalisation#INSIGHTFACE}).
 *
 * <pre>{@code
 * FaceModel m = IResNetOnnxImport.read(Path.of("w600k_r50.onnx"), Progress.NONE);
 * m.save(Path.of("r50.zip"));
 * }</pre>
 *
 * <p>The graph is matched by following the data from the input, not by node names: stem Conv - PRelu; per unit
 * BatchNormalization - Conv - PRelu - Conv - Add, the Add's other input the unit's input or (first unit of a stage)
 * a 1x1 Conv of it; then BatchNormalization - Flatten - Gemm (or MatMul + Add) - BatchNormalization, where the two
 * head batch norms may be folded into the Gemm (as amface's own export writes it: then they import as identities,
 * and an exported amface IResNet imports back to the same function). A Conv with a
 * bias is a Conv whose batch norm the exporter fused in (it becomes amface's conv + BN with unit statistics and the
 * bias as the shift); a Conv without bias must feed an unfused BatchNormalization, which is taken as its BN.
 * Anything else, or a node left over, is an {@link OnnxImportException} naming the first node that does not fit.
 * Batch-norm epsilons other than the backbone's are absorbed into the variances. The FC weights are permuted from
 * ONNX's channel-major flatten to amface's NHWC one ({@link NhwcFlatten}). Nothing in the file is executed: it is
 * parsed as protobuf data by nd4j-api's generated classes.
 */
public final class IResNetOnnxImport {
    /** The oldest opset accepted: torch2onnx.py's. */
    public static final int MIN_OPSET = 11;

    private final Path file;
    private final GraphProto graph;
    private final OnnxConstants constants;
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<NodeProto> matched = new HashSet<>();
    private final Map<String, Map<String, float[]>> params = new LinkedHashMap<>();
    private final double epsilon = new IResNet().batchNorm().epsilon();

    private IResNetOnnxImport(Path file, GraphProto graph) {
        this.file = file;
        this.graph = graph;
        this.constants = new OnnxConstants(graph);
        matched.addAll(constants.constantNodes());
        for (NodeProto n : graph.getNodeList()) {
            if (matched.contains(n)) continue;
            for (String in : n.getInputList()) if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
    }

    /** Imports {@code onnxFile}; bad input is an {@link OnnxImportException} naming the file (and node). */
    public static FaceModel read(Path onnxFile, Progress progress) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnxFile);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read " + onnxFile + ": " + e.getMessage(), e);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(onnxFile + " is not an ONNX model, or is truncated (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new OnnxImportException(onnxFile + " is not an ONNX model (no graph nodes), or is truncated");
        }
        long opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) opset = o.getVersion();
        }
        if (opset < MIN_OPSET) {
            throw new OnnxImportException(onnxFile + ": opset " + (opset < 0 ? "(none)" : opset) + ", this importer reads opset " + MIN_OPSET + " and later");
        }
        IResNetOnnxImport im = new IResNetOnnxImport(onnxFile, model.getGraph());
        try {
            return im.importGraph(progress);
        } catch (IllegalArgumentException e) {
            if (e instanceof OnnxImportException) throw e;
            throw new OnnxImportException(onnxFile + ": " + e.getMessage(), e);
        }
    }

    private FaceModel importGraph(Progress progress) {
        progress.start("import of " + file.getFileName(), graph.getNodeCount());
        ValueInfoProto input = imageInput();
        long[] dims = staticDims(input);
        String x = input.getName();
        NodeProto stemConv = single(x, "the stem Conv");
        ConvBn stem = convBn(stemConv, 3, 1, 3);
        Prelu stemPrelu = prelu(stem.out(), stem.channels(), "stem");
        x = stemPrelu.out();
        params.put("stem", stem.params(stemPrelu.alpha()));
        List<Integer> units = new ArrayList<>(), widths = new ArrayList<>();
        int c = stem.channels();
        while (true) {
            List<NodeProto> next = consumersOf(x);
            if (next.size() == 1 && next.get(0).getOpType().equals("Flatten")) break; // a head BN folded into the Gemm
            NodeProto bn = next.stream().filter(n -> n.getOpType().equals("BatchNormalization")).findFirst().orElse(null);
            if (bn == null || next.size() > 2) throw misfit(next.isEmpty() ? null : next.get(0), "a residual unit's BatchNormalization or the head's", x);
            if (next.size() == 1 && isHead(bn)) break;
            if (next.size() != 2) throw misfit(bn, "a residual unit (its input also feeds the shortcut)", x);
            NodeProto other = next.get(0) == bn ? next.get(1) : next.get(0);
            boolean newStage = other.getOpType().equals("Conv");
            if (!newStage && !other.getOpType().equals("Add")) throw misfit(other, "the unit's shortcut: a 1x1 Conv or the Add", x);
            if (newStage) {
                units.add(0);
                widths.add(0);
            } else if (units.isEmpty()) {
                throw misfit(other, "the first unit's 1x1 projection Conv (amface's stages start with a stride-2 unit)", x);
            }
            int s = units.size(), u = units.get(s - 1) + 1;
            units.set(s - 1, u);
            String unit = "stage" + s + "_unit" + u;
            BnOut pre = batchNorm(bn, c);
            params.put(unit + "_bn", pre.params());
            ConvBn a = convBn(single(pre.out(), "the unit's first Conv"), 3, 1, c);
            Prelu aPrelu = prelu(a.out(), a.channels(), unit);
            String aOut = aPrelu.out();
            params.put(unit + "_a", a.params(aPrelu.alpha()));
            int stride = newStage ? 2 : 1;
            ConvBn b = convBn(single(aOut, "the unit's second Conv"), 3, stride, a.channels());
            params.put(unit + "_b", b.params(null));
            String shortcut = x;
            if (newStage) {
                ConvBn proj = convBn(other, 1, 2, c);
                if (proj.channels() != b.channels()) throw misfit(other, "a projection to " + b.channels() + " channels", x);
                params.put(unit + "_proj", proj.params(null));
                shortcut = proj.out();
                widths.set(s - 1, b.channels());
            } else if (b.channels() != c) {
                throw misfit(nodeProducing(b.out()), "a Conv keeping the unit's " + c + " channels", aOut);
            }
            NodeProto add = single(b.out(), "the unit's Add");
            if (!add.getOpType().equals("Add") || add.getInputCount() != 2 || !Set.copyOf(add.getInputList()).equals(Set.of(b.out(), shortcut))) {
                throw misfit(add, "Add(" + b.out() + ", " + shortcut + ")", b.out());
            }
            matched.add(add);
            x = add.getOutput(0);
            c = b.channels();
            progress.update(matched.size(), unit);
        }
        if (units.isEmpty()) throw misfit(consumersOf(x).get(0), "residual stages after the stem", x);
        BackboneSpec spec = headAndSpec(x, c, dims, units, widths);
        if (spec.stemChannels() != stem.channels()) {
            throw misfit(stemConv, "a stem of " + spec.stemChannels() + " channels (the first stage's width)", input.getName());
        }
        FaceModel model = FaceModel.create(spec).withMetadata(ModelMetadata.DEFAULT.withNormalisation(PixelNormalisation.INSIGHTFACE));
        assign(model.graph());
        progress.finish(spec.name() + " from " + graph.getNodeCount() + " ONNX nodes");
        return model;
    }

    /** BatchNormalization - Flatten - Gemm (or MatMul + Add) - BatchNormalization, the graph's output. */
    private BackboneSpec headAndSpec(String x, int c, long[] dims, List<Integer> units, List<Integer> widths) {
        // Batch norms an exporter folded into the Gemm (amface's export does) are imported as identities.
        NodeProto first = consumersOf(x).get(0);
        BnOut outBn = first.getOpType().equals("Flatten") ? identity(x, new float[c]) : batchNorm(first, c);
        params.put("out_bn", outBn.params());
        NodeProto flatten = single(outBn.out(), "the head's Flatten");
        if (!flatten.getOpType().equals("Flatten") || intAttr(flatten, "axis", 1) != 1) throw misfit(flatten, "Flatten(axis=1)", outBn.out());
        matched.add(flatten);
        BackboneSpec spec = IResNet.spec(units.stream().mapToInt(Integer::intValue).toArray())
            .channels(widths.stream().mapToInt(Integer::intValue).toArray()).input((int) dims[2], (int) dims[3]);
        int[] hw = spec.featureMapSize();
        int nIn = c * hw[0] * hw[1];
        NodeProto fc = single(flatten.getOutput(0), "the head's Gemm or MatMul");
        float[] w;       // [out, in], ONNX flatten order
        float[] bias;
        String fcOut;
        int nOut;
        if (fc.getOpType().equals("Gemm")) {
            if (intAttr(fc, "transA", 0) != 0) throw misfit(fc, "Gemm with transA = 0", flatten.getOutput(0));
            OnnxConstants.Tensor wt = constant(fc, 1, "weights");
            boolean transB = intAttr(fc, "transB", 0) == 1;
            if (wt.dims().length != 2) throw misfit(fc, "a 2-d weight", flatten.getOutput(0));
            nOut = (int) (transB ? wt.dims()[0] : wt.dims()[1]);
            int in = (int) (transB ? wt.dims()[1] : wt.dims()[0]);
            if (in != nIn) throw misfit(fc, "a Gemm taking " + nIn + " = " + c + "x" + hw[0] + "x" + hw[1] + " inputs (it takes " + in + ")", flatten.getOutput(0));
            w = transB ? scaled(wt.values(), floatAttr(fc, "alpha", 1)) : transpose(wt.values(), nIn, nOut, floatAttr(fc, "alpha", 1));
            bias = fc.getInputCount() > 2 && !fc.getInput(2).isEmpty()
                ? scaled(vector(fc, 2, "bias", nOut), floatAttr(fc, "beta", 1)) : new float[nOut];
            matched.add(fc);
            fcOut = fc.getOutput(0);
        } else if (fc.getOpType().equals("MatMul")) {
            OnnxConstants.Tensor wt = constant(fc, 1, "weights");
            if (wt.dims().length != 2 || wt.dims()[0] != nIn) throw misfit(fc, "a MatMul with [" + nIn + ", E] weights", flatten.getOutput(0));
            nOut = (int) wt.dims()[1];
            w = transpose(wt.values(), nIn, nOut, 1);
            matched.add(fc);
            NodeProto add = single(fc.getOutput(0), "the FC's bias Add");
            int biasInput = add.getInput(0).equals(fc.getOutput(0)) ? 1 : 0;
            if (!add.getOpType().equals("Add") || add.getInputCount() != 2) throw misfit(add, "the FC's bias Add", fc.getOutput(0));
            bias = vector(add, biasInput, "bias", nOut);
            matched.add(add);
            fcOut = add.getOutput(0);
        } else {
            throw misfit(fc, "Gemm or MatMul", flatten.getOutput(0));
        }
        int[] nhwcOf = NhwcFlatten.nhwcIndexOfNchw(c, hw[0], hw[1]);
        float[] dl4j = new float[nIn * nOut]; // DL4J's dense W: [nIn, nOut], rows in NHWC flatten order
        for (int o = 0; o < nOut; o++) {
            for (int j = 0; j < nIn; j++) dl4j[nhwcOf[j] * nOut + o] = w[o * nIn + j];
        }
        params.put("fc", Map.of("W", dl4j, "b", bias));
        BnOut features = consumersOf(fcOut).isEmpty() ? identity(fcOut, new float[nOut])
            : batchNorm(single(fcOut, "the embedding's BatchNormalization"), nOut);
        params.put("embedding", features.params());
        if (graph.getOutputCount() != 1 || !graph.getOutput(0).getName().equals(features.out())) {
            throw new OnnxImportException(file + ": the graph's output is not the embedding BatchNormalization's '" + features.out() + "'");
        }
        for (NodeProto n : graph.getNodeList()) {
            if (!matched.contains(n)) throw misfit(n, "nothing more: an IResNet ends at its embedding BatchNormalization", null);
        }
        return spec.embeddingSize(nOut);
    }

    private boolean isHead(NodeProto bn) {
        List<NodeProto> after = consumersOf(bn.getOutput(0));
        return after.size() == 1 && after.get(0).getOpType().equals("Flatten");
    }

    /** A Conv (kernel, stride, padding k/2) with its batch norm: fused into its bias, or the BatchNormalization after it. */
    private ConvBn convBn(NodeProto conv, int kernel, int stride, int inChannels) {
        String in = conv.getInputCount() > 0 ? conv.getInput(0) : "?";
        if (!conv.getOpType().equals("Conv")) throw misfit(conv, "a " + kernel + "x" + kernel + " Conv", in);
        long pad = kernel / 2;
        if (!ints(conv, "kernel_shape", kernel, kernel) || !ints(conv, "strides", 1, 1) && !ints(conv, "strides", stride, stride)
            || !ints(conv, "pads", 0, 0, 0, 0) && !ints(conv, "pads", pad, pad, pad, pad) || !ints(conv, "dilations", 1, 1)
            || intAttr(conv, "group", 1) != 1) {
            throw misfit(conv, "a " + kernel + "x" + kernel + " Conv, stride " + stride + ", padding " + pad + ", no groups or dilation", in);
        }
        if (!ints(conv, "strides", stride, stride) || kernel > 1 && !ints(conv, "pads", pad, pad, pad, pad)) {
            throw misfit(conv, "a " + kernel + "x" + kernel + " Conv with stride " + stride + " and padding " + pad, in);
        }
        OnnxConstants.Tensor w = constant(conv, 1, "weights");
        if (w.dims().length != 4 || w.dims()[1] != inChannels || w.dims()[2] != kernel || w.dims()[3] != kernel) {
            throw misfit(conv, "Conv weights [C, " + inChannels + ", " + kernel + ", " + kernel + "]", in);
        }
        int out = (int) w.dims()[0];
        matched.add(conv);
        if (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()) {
            return new ConvBn(conv.getOutput(0), out, w.values(), identity(conv.getOutput(0), vector(conv, 2, "bias", out)));
        }
        BnOut bn = batchNorm(single(conv.getOutput(0), "the Conv's BatchNormalization (the Conv has no bias)"), out);
        return new ConvBn(bn.out(), out, w.values(), bn);
    }

    /** A batch norm that only adds {@code shift}: unit statistics, with var + epsilon = 1. */
    private BnOut identity(String out, float[] shift) {
        int c = shift.length;
        float[] one = new float[c], zero = new float[c], var = new float[c];
        java.util.Arrays.fill(one, 1);
        java.util.Arrays.fill(var, (float) (1 - epsilon));
        return new BnOut(out, one, shift, zero, var);
    }

    private BnOut batchNorm(NodeProto n, int channels) {
        String in = n.getInputCount() > 0 ? n.getInput(0) : "?";
        if (!n.getOpType().equals("BatchNormalization") || n.getInputCount() != 5 || intAttr(n, "training_mode", 0) != 0) {
            throw misfit(n, "an inference BatchNormalization over " + channels + " channels", in);
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && consumers.containsKey(n.getOutput(i))) throw misfit(n, "a BatchNormalization whose statistics outputs are unused", in);
        }
        float[] gamma = vector(n, 1, "scale", channels), beta = vector(n, 2, "bias", channels);
        float[] mean = vector(n, 3, "mean", channels), var = vector(n, 4, "variance", channels).clone();
        double eps = floatAttr(n, "epsilon", 1e-5);
        for (int i = 0; i < channels; i++) {
            double v = var[i] + eps - epsilon; // amface adds its own epsilon
            if (!(v > 0)) throw misfit(n, "a variance above " + (epsilon - eps) + " (channel " + i + ": " + var[i] + ")", in);
            var[i] = (float) v;
        }
        matched.add(n);
        return new BnOut(n.getOutput(0), gamma, beta, mean, var);
    }

    /** A PRelu's output and its per-channel slopes. */
    private record Prelu(String out, float[] alpha) { }

    /** The PRelu reading {@code x}, with per-channel (or one shared) slope. */
    private Prelu prelu(String x, int channels, String where) {
        NodeProto n = single(x, "the PRelu of " + where);
        if (!n.getOpType().equals("PRelu")) throw misfit(n, "PRelu", x);
        OnnxConstants.Tensor t = constant(n, 1, "slope");
        if (t.length() != channels && t.length() != 1) throw misfit(n, "a PRelu slope of " + channels + " channels", x);
        float[] alpha = new float[channels];
        for (int i = 0; i < channels; i++) alpha[i] = t.values()[t.length() == 1 ? 0 : i];
        matched.add(n);
        return new Prelu(n.getOutput(0), alpha);
    }

    /** Copies every collected parameter into the model's layers; a layer left with parameters unset is a bug here. */
    private void assign(ComputationGraph g) {
        for (Layer layer : g.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, float[]> p = params.get(name);
            if (p == null || !p.keySet().equals(layer.paramTable().keySet())) {
                throw new IllegalStateException("import filled " + (p == null ? "nothing" : p.keySet()) + " of layer '" + name + "', it has " + layer.paramTable().keySet());
            }
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray target = e.getValue();
                float[] v = p.get(e.getKey());
                if (v.length != target.length()) throw new IllegalStateException(name + "/" + e.getKey() + ": " + v.length + " values for " + target.length());
                target.assign(Nd4j.create(v, target.shape(), 'c').castTo(target.dataType()));
            }
        }
    }

    private ValueInfoProto imageInput() {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) if (!constants.has(v.getName())) inputs.add(v);
        if (inputs.size() != 1) throw new OnnxImportException(file + ": " + inputs.size() + " graph inputs besides the weights, a face model has one image input");
        return inputs.get(0);
    }

    private long[] staticDims(ValueInfoProto input) {
        List<TensorShapeProto.Dimension> d = input.getType().getTensorType().getShape().getDimList();
        long[] dims = new long[d.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = d.get(i).hasDimValue() ? d.get(i).getDimValue() : -1;
        if (dims.length != 4 || dims[1] != 3 || dims[2] < 8 || dims[3] < 8) {
            throw new OnnxImportException(file + ": input '" + input.getName() + "' has shape " + java.util.Arrays.toString(dims)
                + " (-1: not fixed); an IResNet takes [N, 3, H, W] with H and W fixed");
        }
        return dims;
    }

    private List<NodeProto> consumersOf(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    private NodeProto single(String tensor, String expected) {
        List<NodeProto> c = consumersOf(tensor);
        if (c.size() != 1) {
            throw new OnnxImportException(file + ": tensor '" + tensor + "' feeds " + c.size() + " nodes"
                + (c.isEmpty() ? "" : " (" + describe(c.get(0)) + ", ...)") + " where " + expected + " alone was expected");
        }
        return c.get(0);
    }

    private NodeProto nodeProducing(String tensor) {
        for (NodeProto n : graph.getNodeList()) if (n.getOutputList().contains(tensor)) return n;
        return null;
    }

    private OnnxConstants.Tensor constant(NodeProto n, int input, String what) {
        if (n.getInputCount() <= input || !constants.has(n.getInput(input))) {
            throw misfit(n, "constant " + what + " as input " + input + " (missing in the file: truncated?)", n.getInputCount() > 0 ? n.getInput(0) : null);
        }
        return constants.get(n.getInput(input));
    }

    private float[] vector(NodeProto n, int input, String what, int length) {
        OnnxConstants.Tensor t = constant(n, input, what);
        if (t.length() != length) throw misfit(n, what + " of " + length + " values (it has " + t.length() + ")", n.getInput(0));
        return t.values();
    }

    private static float[] scaled(float[] v, double factor) {
        if (factor == 1) return v;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * factor);
        return out;
    }

    /** [rows, cols] -> [cols, rows], times {@code factor}. */
    private static float[] transpose(float[] v, int rows, int cols, double factor) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[c * rows + r] = (float) (v[r * cols + c] * factor);
        }
        return out;
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getI();
    }

    private static double floatAttr(NodeProto n, String name, double fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getF();
    }

    /** Whether the ints attribute is absent (defaults accepted by the caller's alternatives) or equals {@code values}. */
    private static boolean ints(NodeProto n, String name, long... values) {
        AttributeProto a = attr(n, name);
        if (a == null) return true;
        if (a.getIntsCount() != values.length) return false;
        for (int i = 0; i < values.length; i++) if (a.getInts(i) != values[i]) return false;
        return true;
    }

    private static String describe(NodeProto n) {
        return "node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + n.getOpType() + ")";
    }

    private OnnxImportException misfit(NodeProto n, String expected, String after) {
        String where = n == null ? "the graph ends" : describe(n);
        return new OnnxImportException(file + ": not an insightface IResNet: " + where + (after == null ? "" : " after tensor '" + after + "'")
            + " does not fit, expected " + expected);
    }

    /** One batch norm's per-channel numbers, already on amface's epsilon, and the tensor it writes. */
    private record BnOut(String out, float[] gamma, float[] beta, float[] mean, float[] var) {
        Map<String, float[]> params() {
            return Map.of("gamma", gamma, "beta", beta, "mean", mean, "var", var);
        }
    }

    /** A convolution with its batch norm: amface's ConvBnPrelu parameters. */
    private record ConvBn(String out, int channels, float[] w, BnOut bn) {
        Map<String, float[]> params(float[] alpha) {
            Map<String, float[]> p = new LinkedHashMap<>(bn.params());
            p.put("W", w);
            if (alpha != null) p.put("alpha", alpha);
            return p;
        }
    }
}
