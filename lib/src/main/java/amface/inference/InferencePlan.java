package amface.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import amface.nn.FaceModel;
import amface.nn.layers.ChannelBatchNorm;
import amface.nn.layers.ConvBnPrelu;

/**
 * A face model's embedding network as the few inference operators the engine runs, batch norm folded away:
 * {@link Conv} (weights and bias with the batch norm folded in, optional PReLU, optional residual added last),
 * {@link Affine} (a batch norm no neighbour can absorb: one before a zero-padded convolution, as L-ResNet-E-IR units
 * open with, is not foldable exactly because the padding zeros would skip its shift), {@link Add} and {@link Dense}
 * (batch norms right before and after it folded in; DL4J's NHWC flatten order kept). Folds are computed in double
 * and rounded to float once (the one before a dense layer from its float scale and shift).
 *
 * <p>The walk is the ONNX exporter's (inputs before consumers, consumers counted; ConvBnPrelu, ChannelBatchNorm,
 * identity Dense, Dropout, Add), over the data the engine needs rather than ONNX nodes. One fusion here: an
 * {@code Add} whose one input is a convolution without PReLU used only by that add becomes that convolution's
 * {@link Conv#residual()} (oneDNN's {@code sum} post-op); after a PReLU it cannot (oneDNN 2.5's PReLU post-op
 * runs only in its reference kernel, so PReLU is a primitive of its own and the add follows it).
 *
 * <pre>{@code
 * InferencePlan plan = InferencePlan.of(FaceModel.load(path));
 * plan.ops().forEach(op -> System.out.println(op.name() + " " + Arrays.toString(op.dims())));
 * }</pre>
 */
public record InferencePlan(String input, int channels, int height, int width, List<Op> ops, String output) {

    /** One operator; {@code dims} is its output shape after the batch axis: {@code [c, h, w]} or {@code [features]}. */
    public sealed interface Op permits Conv, Affine, Add, Dense {
        String name();

        List<String> inputs();

        long[] dims();
    }

    /**
     * A square convolution, {@code weights} OIHW with the batch norm folded in, {@code bias} per output, then
     * {@code alpha} (PReLU slopes, or null), then {@code residual} (a value added, or null).
     */
    public record Conv(String name, String input, int inChannels, int outChannels, int kernel, int stride, int pad,
                       float[] weights, float[] bias, float[] alpha, String residual, long[] dims) implements Op {
        @Override
        public List<String> inputs() {
            return residual == null ? List.of(input) : List.of(input, residual);
        }

        Conv withResidual(String name, String residual) {
            return new Conv(name, input, inChannels, outChannels, kernel, stride, pad, weights, bias, alpha, residual, dims);
        }
    }

    /** {@code y[c] = scale[c] * x[c] + shift[c]} over the channels (a batch norm left standing). */
    public record Affine(String name, String input, float[] scale, float[] shift, long[] dims) implements Op {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The sum of two values of one shape. */
    public record Add(String name, String a, String b, long[] dims) implements Op {
        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }
    }

    /**
     * {@code y = W x + b}, {@code weights} {@code [out][in]} with the input read in DL4J's flatten order (NHWC:
     * row, column, channel) when {@code inDims} is an image shape.
     */
    public record Dense(String name, String input, long[] inDims, int out, float[] weights, float[] bias, long[] dims) implements Op {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The plan of {@code model}'s embedding vertex; anything the engine cannot run is an error naming the vertex. */
    public static InferencePlan of(FaceModel model) {
        return of(model.graph(), model.embeddingVertex(), model.inputHeight(), model.inputWidth());
    }

    /** The plan computing {@code output} of {@code graph} for images of {@code height x width}. */
    public static InferencePlan of(ComputationGraph graph, String output, int height, int width) {
        return new Walk(graph).run(output, height, width);
    }

    /** The operator computing {@code name}, or null for the input. */
    public Op op(String name) {
        for (Op op : ops) if (op.name().equals(name)) return op;
        return null;
    }

    /** Index of the last operator reading each value (the output counts as read after the last operator). */
    Map<String, Integer> lastUses() {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) for (String in : ops.get(i).inputs()) last.put(in, i);
        last.put(output, ops.size());
        return last;
    }

    /** The graph walk: each vertex an operator (or an alias of its input), then the fusions. */
    private static final class Walk {
        private final ComputationGraph graph;
        private final ComputationGraphConfiguration conf;
        private final Map<String, String> alias = new HashMap<>();
        private final Map<String, long[]> dims = new HashMap<>();
        private final Map<String, Integer> consumers = new HashMap<>();
        private final List<Op> ops = new ArrayList<>();

        Walk(ComputationGraph graph) {
            this.graph = graph;
            this.conf = graph.getConfiguration();
        }

        InferencePlan run(String output, int height, int width) {
            if (conf.getNetworkInputs().size() != 1) {
                throw new IllegalArgumentException("the graph has " + conf.getNetworkInputs().size() + " inputs; a face model has one image input");
            }
            String input = conf.getNetworkInputs().get(0);
            Set<String> needed = ancestors(output);
            dims.put(input, new long[] {3, height, width});
            for (String v : conf.getTopologicalOrderStr()) {
                if (!needed.contains(v) || v.equals(input)) continue;
                visit(v);
            }
            String out = resolve(output);
            if (dims.get(out).length != 1) throw new IllegalArgumentException("vertex '" + output + "' is not an embedding [N, features]");
            return new InferencePlan(input, 3, height, width, List.copyOf(fuseResiduals(out)), out);
        }

        private Set<String> ancestors(String output) {
            if (!conf.getVertices().containsKey(output)) throw new IllegalArgumentException("the graph has no vertex '" + output + "'");
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(output));
            while (!todo.isEmpty()) {
                String v = todo.remove(todo.size() - 1);
                if (!seen.add(v)) continue;
                for (String in : inputsOf(v)) {
                    consumers.merge(in, 1, Integer::sum);
                    todo.add(in);
                }
            }
            consumers.merge(output, 1, Integer::sum);
            return seen;
        }

        private List<String> inputsOf(String v) {
            List<String> in = conf.getVertexInputs().get(v);
            return in == null ? List.of() : in;
        }

        private String resolve(String v) {
            String r = v;
            while (alias.containsKey(r)) r = alias.get(r);
            return r;
        }

        private void visit(String v) {
            GraphVertex vertex = conf.getVertices().get(v);
            List<String> in = inputsOf(v).stream().map(this::resolve).toList();
            if (vertex instanceof ElementWiseVertex ew) {
                if (ew.getOp() != ElementWiseVertex.Op.Add || in.size() != 2) {
                    throw unsupported(v, "ElementWiseVertex " + ew.getOp() + " of " + in.size() + " inputs");
                }
                if (!java.util.Arrays.equals(dims.get(in.get(0)), dims.get(in.get(1)))) {
                    throw new IllegalArgumentException("vertex '" + v + "' adds tensors of different shapes");
                }
                add(new Add(v, in.get(0), in.get(1), dims.get(in.get(0))));
            } else if (vertex instanceof LayerVertex lv) {
                if (in.size() != 1) throw new IllegalArgumentException("vertex '" + v + "' has " + in.size() + " inputs, a layer takes one");
                layer(v, lv, in.get(0));
            } else {
                throw unsupported(v, vertex.getClass().getSimpleName());
            }
        }

        private void add(Op op) {
            ops.add(op);
            dims.put(op.name(), op.dims());
        }

        private void layer(String v, LayerVertex lv, String input) {
            Layer layer = lv.getLayerConf().getLayer();
            InputPreProcessor pre = lv.getPreProcessor();
            if (pre != null && !(layer instanceof DenseLayer && pre instanceof CnnToFeedForwardPreProcessor)) {
                throw unsupported(v, "input preprocessor " + pre.getClass().getSimpleName() + " before " + layer.getClass().getSimpleName());
            }
            long[] d = dims.get(input);
            if (layer instanceof DropoutLayer) {
                alias.put(v, input); // identity at inference
            } else if (layer instanceof ConvBnPrelu c) {
                if (d.length != 3 || d[0] != c.getNIn()) throw new IllegalArgumentException("vertex '" + v + "' needs " + c.getNIn() + " input channels");
                double[] w = params(v, "W");
                double[][] bn = affine(v, c.getBnEpsilon());
                int out = (int) c.getNOut(), per = w.length / out;
                float[] fw = new float[w.length], fb = new float[out];
                for (int o = 0; o < out; o++) {
                    for (int i = 0, at = o * per; i < per; i++, at++) fw[at] = (float) (w[at] * bn[0][o]);
                    fb[o] = (float) bn[1][o];
                }
                float[] alpha = c.isPrelu() ? floats(params(v, "alpha")) : null;
                add(new Conv(v, input, (int) c.getNIn(), out, c.getKernel(), c.getStride(), c.getPadding(), fw, fb, alpha, null,
                    new long[] {out, c.outputSize(d[1]), c.outputSize(d[2])}));
            } else if (layer instanceof ChannelBatchNorm bn) {
                double[][] a = affine(v, bn.getBnEpsilon());
                if (a[0].length != d[0]) throw new IllegalArgumentException("vertex '" + v + "' normalises " + a[0].length + " channels, gets " + d[0]);
                Op producer = ops.isEmpty() ? null : ops.get(ops.size() - 1);
                if (producer instanceof Dense fc && fc.name().equals(input) && consumers.getOrDefault(input, 0) == 1) {
                    ops.set(ops.size() - 1, foldAfter(v, fc, a));
                    dims.put(v, fc.dims());
                } else {
                    add(new Affine(v, input, floats(a[0]), floats(a[1]), d));
                }
            } else if (layer instanceof DenseLayer fc) {
                dense(v, fc, input, d);
            } else {
                throw unsupported(v, layer.getClass().getSimpleName());
            }
        }

        private void dense(String v, DenseLayer fc, String input, long[] d) {
            if (!(fc.getActivationFn() instanceof ActivationIdentity)) throw unsupported(v, "dense activation " + fc.getActivationFn());
            int nIn = (int) fc.getNIn(), nOut = (int) fc.getNOut();
            long flat = 1;
            for (long s : d) flat *= s;
            if (flat != nIn) throw new IllegalArgumentException("vertex '" + v + "' takes " + nIn + " inputs, gets " + flat);
            double[] w = params(v, "W"); // DL4J: [nIn, nOut], rows in the NHWC flatten order
            double[] wt = new double[w.length];
            for (int i = 0; i < nIn; i++) for (int o = 0; o < nOut; o++) wt[o * nIn + i] = w[i * nOut + o];
            double[] b = fc.hasBias() ? params(v, "b") : new double[nOut];
            String source = input;
            long[] inDims = d;
            // A batch norm used only by this layer folds in exactly: W' = W diag(scale), b' = b + W shift.
            if (!ops.isEmpty() && ops.get(ops.size() - 1) instanceof Affine norm && norm.name().equals(input)
                && consumers.getOrDefault(input, 0) == 1) {
                int channels = (int) d[0];
                for (int o = 0; o < nOut; o++) {
                    double sum = b[o];
                    for (int i = 0; i < nIn; i++) {
                        int ch = d.length == 3 ? i % channels : i; // NHWC flatten: the channel varies fastest
                        sum += wt[o * nIn + i] * norm.shift()[ch];
                        wt[o * nIn + i] *= norm.scale()[ch];
                    }
                    b[o] = sum;
                }
                ops.remove(ops.size() - 1);
                source = norm.input();
            }
            add(new Dense(v, source, inDims, nOut, floats(wt), floats(b), new long[] {nOut}));
        }

        private static Dense foldAfter(String name, Dense fc, double[][] a) {
            int in = fc.weights().length / fc.out();
            float[] w = new float[fc.weights().length], b = new float[fc.out()];
            for (int o = 0; o < fc.out(); o++) {
                for (int i = 0, at = o * in; i < in; i++, at++) w[at] = (float) (fc.weights()[at] * a[0][o]);
                b[o] = (float) (fc.bias()[o] * a[0][o] + a[1][o]);
            }
            return new Dense(name, fc.input(), fc.inDims(), fc.out(), w, b, fc.dims());
        }

        /** An Add of a PReLU-free convolution used only there becomes that convolution's residual. */
        private List<Op> fuseResiduals(String output) {
            List<Op> fused = new ArrayList<>(ops);
            for (int i = 0; i < fused.size(); i++) {
                if (!(fused.get(i) instanceof Add add)) continue;
                for (int side = 0; side < 2; side++) {
                    String convName = side == 0 ? add.b() : add.a(), other = side == 0 ? add.a() : add.b();
                    int at = indexOf(fused, convName);
                    if (at < 0 || !(fused.get(at) instanceof Conv c) || c.alpha() != null || c.residual() != null) continue;
                    if (consumers.getOrDefault(convName, 0) != 1 || convName.equals(output)) continue;
                    int otherAt = indexOf(fused, other);
                    if (otherAt > at) continue; // the residual must exist when the convolution runs
                    fused.set(at, c.withResidual(add.name(), other));
                    fused.remove(i);
                    i--;
                    break;
                }
            }
            return fused;
        }

        private static int indexOf(List<Op> ops, String name) {
            for (int i = 0; i < ops.size(); i++) if (ops.get(i).name().equals(name)) return i;
            return -1;
        }

        /** A batch norm as {@code {scale, shift}} in double. */
        private double[][] affine(String v, double eps) {
            double[] gamma = params(v, "gamma"), beta = params(v, "beta"), mean = params(v, "mean"), var = params(v, "var");
            double[] scale = new double[gamma.length], shift = new double[gamma.length];
            for (int k = 0; k < gamma.length; k++) {
                scale[k] = gamma[k] / Math.sqrt(var[k] + eps);
                shift[k] = beta[k] - mean[k] * scale[k];
            }
            return new double[][] {scale, shift};
        }

        private double[] params(String v, String param) {
            INDArray p = graph.getLayer(v).getParam(param);
            if (p == null) throw new IllegalArgumentException("layer '" + v + "' has no parameter " + param);
            return p.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }

        private static float[] floats(double[] v) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return f;
        }

        private static IllegalArgumentException unsupported(String v, String what) {
            return new IllegalArgumentException("the inference engine cannot run vertex '" + v + "': " + what
                + " (it runs ConvBnPrelu, ChannelBatchNorm, identity DenseLayer, DropoutLayer, ElementWiseVertex Add)");
        }
    }
}
