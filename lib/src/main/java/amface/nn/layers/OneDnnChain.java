package amface.nn.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.prelu_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A fixed stack of small inference layers (unpadded stride-1 convolution, per-channel PReLU, max-pooling, dense)
 * run as oneDNN primitives from one NHWC input buffer to one output buffer, for MTCNN's nets. Every activation
 * stays NHWC inside the chain: oneDNN 2.5's PReLU has a jit kernel for NHWC but only a reference kernel for the
 * blocked layouts its convolutions prefer, and NHWC needs no reorders between layers. Per input shape the
 * primitives, their buffers and reordered weights are made once and kept per thread (a pyramid's levels repeat
 * for same-size images; callers keep batch sizes to a few values), up to a byte budget per thread.
 *
 * <p>Dense layers read the flattened NCHW order of their input (channel, row, column), as a Caffe/TF net does
 * after transposing; their weights are {@code [out][in]} in that order.
 *
 * <pre>{@code
 * OneDnnChain net = OneDnnChain.builder(3).conv(3, 10, w1, b1).prelu(a1).maxPool(2, 2, true).build();
 * OneDnnChain.Output y = net.forward(nhwc, 1, 150, 150);
 * }</pre>
 */
public final class OneDnnChain {
    private sealed interface Layer permits Conv, Prelu, Pool, Dense { }

    private record Conv(int kernel, int out, float[] oihw, float[] bias) implements Layer { }

    private record Prelu(float[] alpha) implements Layer { }

    private record Pool(int kernel, int stride, boolean same) implements Layer { }

    private record Dense(int out, float[] weights, float[] bias) implements Layer { }

    /**
     * The result: {@code values} in NCHW C order for a convolutional output ({@code dims} = n, c, h, w), or
     * {@code [n, out]} after a dense layer ({@code dims} = n, out). The array is the caller's.
     */
    public record Output(float[] values, long[] dims) { }

    private final int channels;
    private final List<Layer> layers;
    private final long maxBytes;
    private final boolean bf16;
    private final ThreadLocal<Map<List<Integer>, Plan>> plans;

    private OneDnnChain(Builder b) {
        this.channels = b.channels;
        this.layers = List.copyOf(b.layers);
        this.maxBytes = b.maxBytes;
        this.bf16 = b.bf16;
        this.plans = ThreadLocal.withInitial(LinkedHashMap::new);
    }

    /** A chain whose input has {@code channels} channels. */
    public static Builder builder(int channels) {
        return new Builder(channels);
    }

    /** The layers in order; weights are copied when the chain is built. */
    public static final class Builder {
        private final int channels;
        private final List<Layer> layers = new ArrayList<>();
        private long maxBytes = 256L << 20;
        private boolean bf16;
        private int current;
        private boolean flat;

        private Builder(int channels) {
            if (channels < 1) throw new IllegalArgumentException("channels must be at least 1, got " + channels);
            this.channels = channels;
            this.current = channels;
        }

        /** An unpadded stride-1 {@code kernel x kernel} convolution: weights {@code [out, in, k, k]}, bias {@code [out]}. */
        public Builder conv(int kernel, int out, float[] oihw, float[] bias) {
            if (flat) throw new IllegalStateException("a convolution cannot follow a dense layer");
            check(oihw, (long) out * current * kernel * kernel, "convolution weights");
            check(bias, out, "convolution bias");
            layers.add(new Conv(kernel, out, oihw.clone(), bias.clone()));
            current = out;
            return this;
        }

        /** {@code x > 0 ? x : alpha[c] * x}, one slope per channel (or per dense output). */
        public Builder prelu(float[] alpha) {
            check(alpha, current, "PReLU slopes");
            layers.add(new Prelu(alpha.clone()));
            return this;
        }

        /** Max-pooling with square windows; {@code same} pads as TensorFlow's SAME (output ceil(in / stride)). */
        public Builder maxPool(int kernel, int stride, boolean same) {
            if (flat) throw new IllegalStateException("pooling cannot follow a dense layer");
            layers.add(new Pool(kernel, stride, same));
            return this;
        }

        /**
         * A dense layer of {@code out} units, weights {@code [out][in]} over the input flattened in NCHW order
         * ({@code in} = channels x height x width of the input it will get), bias {@code [out]}.
         */
        public Builder dense(int out, float[] weights, float[] bias) {
            check(bias, out, "dense bias");
            if (weights.length % out != 0) throw new IllegalArgumentException("dense weights: " + weights.length + " values are not " + out + " rows");
            layers.add(new Dense(out, weights.clone(), bias.clone()));
            current = out;
            flat = true;
            return this;
        }

        /**
         * Buffer bytes of the plans kept per thread (default 256 MiB): a new input shape that would pass it frees
         * the others first, so images of ever new sizes cannot pile up native memory.
         */
        public Builder maxBytes(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("maxBytes must be positive, got " + bytes);
            this.maxBytes = bytes;
            return this;
        }

        /**
         * Activations and weights in bf16 between the input (f32) and the output (f32), accumulation in f32 inside
         * oneDNN; for CPUs where {@link Precision#bf16Problem()} is null.
         */
        public Builder bf16(boolean bf16) {
            this.bf16 = bf16;
            return this;
        }

        public OneDnnChain build() {
            if (layers.isEmpty()) throw new IllegalStateException("a chain needs at least one layer");
            return new OneDnnChain(this);
        }

        private static void check(float[] a, long want, String what) {
            if (a.length != want) throw new IllegalArgumentException(what + ": expected " + want + " values, got " + a.length);
        }
    }

    /** Runs the chain on {@code x}, NHWC {@code [n, h, w, channels]} in C order. */
    public Output forward(float[] x, int n, int h, int w) {
        if ((long) n * h * w * channels != x.length) {
            throw new IllegalArgumentException("input: expected " + n + "x" + h + "x" + w + "x" + channels + " values, got " + x.length);
        }
        return plan(n, h, w).run(x);
    }

    /** oneDNN's implementation name of each primitive for this input shape, for diagnostics (jit or ref). */
    public List<String> implementations(int n, int h, int w) {
        return plan(n, h, w).steps.stream().map(Step::impl).toList();
    }

    private Plan plan(int n, int h, int w) {
        Map<List<Integer>, Plan> cache = plans.get();
        List<Integer> key = List.of(n, h, w);
        Plan p = cache.get(key);
        if (p == null) {
            p = new Plan(n, h, w);
            long held = cache.values().stream().mapToLong(Plan::bytes).sum();
            if (held + p.bytes() > maxBytes) {
                cache.values().forEach(Plan::close);
                cache.clear();
            }
            cache.put(key, p);
        }
        return p;
    }

    /** One primitive and its arguments. */
    private record Step(primitive prim, IntMemoryMap args, String impl) {
        void run() {
            prim.execute(OneDnn.stream(), args);
        }
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return OneDnn.desc(dims, tag);
    }

    /** The chain's activation and weight type: bf16 or f32. */
    private memory.desc typed(long[] dims, memory.format_tag tag) {
        return bf16 ? new memory.desc(dims, memory.data_type.bf16, tag) : desc(dims, tag);
    }

    /** A memory holding {@code values} in {@code tag} order, in a buffer that lives as long as the memory's plan. */
    /** A step with weights and bias (convolution, dense): its arguments, its memories kept alive with the plan. */
    private static memory filled(long[] dims, memory.format_tag tag, float[] values, List<Object> keep) {
        FloatPointer p = new FloatPointer(values.length);
        p.put(values);
        keep.add(p);
        return new memory(desc(dims, tag), OneDnn.engine(), p);
    }

    /** Reorders {@code from} into a new memory of {@code wanted} (once, when a plan is made). */
    private static memory reordered(memory from, memory.desc wanted) {
        if (from.get_desc().equals(wanted)) return from;
        memory to = new memory(wanted, OneDnn.engine());
        IntMemoryMap args = new IntMemoryMap();
        args.put(dnnl.DNNL_ARG_FROM, from);
        args.put(dnnl.DNNL_ARG_TO, to);
        new reorder(from, to).execute(OneDnn.stream(), args);
        OneDnn.stream()._wait();
        return to;
    }

    private final class Plan {
        final FloatPointer in;
        final FloatPointer out;
        final long outLength;
        final long[] outDims;
        final List<Step> steps = new ArrayList<>();
        /** Buffers and memories the primitives point at: kept reachable for as long as the plan. */
        final List<Object> keep = new ArrayList<>();

        Plan(int n, int h, int w) {
            long[] dims = {n, channels, h, w};
            memory.desc cur = desc(dims, memory.format_tag.nhwc);
            in = new FloatPointer((long) n * h * w * channels);
            memory curMem = new memory(cur, OneDnn.engine(), in);
            keep.add(curMem);
            if (bf16) {
                memory.desc b = typed(dims, memory.format_tag.nhwc);
                memory bMem = new memory(b, OneDnn.engine());
                IntMemoryMap args = new IntMemoryMap();
                args.put(dnnl.DNNL_ARG_FROM, curMem);
                args.put(dnnl.DNNL_ARG_TO, bMem);
                steps.add(new Step(new reorder(curMem, bMem), args, "reorder"));
                keep.add(bMem);
                curMem = bMem;
                cur = b;
            }
            for (Layer layer : layers) {
                if (layer instanceof Conv c) {
                    long oh = dims[2] - c.kernel + 1, ow = dims[3] - c.kernel + 1;
                    if (oh < 1 || ow < 1) throw new IllegalArgumentException("input " + h + "x" + w + " is too small for the chain");
                    long[] wDims = {c.out, dims[1], c.kernel, c.kernel};
                    long[] yDims = {n, c.out, oh, ow};
                    memory.desc yDesc = typed(yDims, memory.format_tag.nhwc);
                    memory.desc bDesc = desc(new long[] {c.out}, memory.format_tag.a);
                    long[] one = {1, 1}, zero = {0, 0};
                    convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(
                        new convolution_forward.desc(dnnl.prop_kind.forward_inference, dnnl.algorithm.convolution_direct,
                            cur, typed(wDims, memory.format_tag.any), bDesc, yDesc, one, zero, zero), OneDnn.engine());
                    curMem = addWeighted(new convolution_forward(pd), pd.impl_info_str().getString(), curMem,
                        filled(wDims, memory.format_tag.oihw, c.oihw, keep), pd.weights_desc(), c.bias, yDesc);
                    cur = yDesc;
                    dims = yDims;
                } else if (layer instanceof Prelu p) {
                    boolean flat = dims.length == 2;
                    long[] aDims = flat ? new long[] {1, dims[1]} : new long[] {1, dims[1], 1, 1};
                    memory.format_tag aTag = flat ? memory.format_tag.nc : memory.format_tag.nchw;
                    prelu_forward.primitive_desc pd = new prelu_forward.primitive_desc(
                        new prelu_forward.desc(dnnl.prop_kind.forward_inference, cur, desc(aDims, aTag)), OneDnn.engine());
                    memory aMem = reordered(filled(aDims, aTag, p.alpha, keep), pd.weights_desc());
                    IntMemoryMap args = new IntMemoryMap();
                    args.put(dnnl.DNNL_ARG_SRC, curMem);
                    args.put(dnnl.DNNL_ARG_DST, curMem);
                    args.put(dnnl.DNNL_ARG_WEIGHTS, aMem);
                    steps.add(new Step(new prelu_forward(pd), args, pd.impl_info_str().getString()));
                    keep.add(aMem);
                } else if (layer instanceof Pool p) {
                    long[] padL = new long[2], padR = new long[2], o = new long[2];
                    for (int a = 0; a < 2; a++) {
                        long size = dims[2 + a];
                        if (p.same) {
                            o[a] = (size + p.stride - 1) / p.stride;
                            long total = Math.max((o[a] - 1) * p.stride + p.kernel - size, 0);
                            padL[a] = total / 2;
                            padR[a] = total - padL[a];
                        } else {
                            o[a] = (size - p.kernel) / p.stride + 1;
                        }
                        if (o[a] < 1) throw new IllegalArgumentException("input " + h + "x" + w + " is too small for the chain");
                    }
                    long[] yDims = {n, dims[1], o[0], o[1]};
                    memory.desc yDesc = typed(yDims, memory.format_tag.nhwc);
                    pooling_forward.primitive_desc pd = new pooling_forward.primitive_desc(
                        new pooling_forward.desc(dnnl.prop_kind.forward_inference, dnnl.algorithm.pooling_max, cur, yDesc,
                            new long[] {p.stride, p.stride}, new long[] {p.kernel, p.kernel}, padL, padR), OneDnn.engine());
                    memory yMem = new memory(yDesc, OneDnn.engine());
                    IntMemoryMap args = new IntMemoryMap();
                    args.put(dnnl.DNNL_ARG_SRC, curMem);
                    args.put(dnnl.DNNL_ARG_DST, yMem);
                    steps.add(new Step(new pooling_forward(pd), args, pd.impl_info_str().getString()));
                    keep.add(yMem);
                    curMem = yMem;
                    cur = yDesc;
                    dims = yDims;
                } else if (layer instanceof Dense d) {
                    long in = 1;
                    for (int i = 1; i < dims.length; i++) in *= dims[i];
                    if (d.weights.length != in * d.out) {
                        throw new IllegalArgumentException("dense weights: expected " + d.out + "x" + in + " for this input, got " + d.weights.length);
                    }
                    boolean spatial = dims.length == 4;
                    long[] wDims = spatial ? new long[] {d.out, dims[1], dims[2], dims[3]} : new long[] {d.out, dims[1]};
                    memory.format_tag wTag = spatial ? memory.format_tag.oihw : memory.format_tag.oi;
                    long[] yDims = {n, d.out};
                    memory.desc yDesc = typed(yDims, memory.format_tag.nc);
                    inner_product_forward.primitive_desc pd = new inner_product_forward.primitive_desc(
                        new inner_product_forward.desc(dnnl.prop_kind.forward_inference, cur, typed(wDims, memory.format_tag.any),
                            desc(new long[] {d.out}, memory.format_tag.a), yDesc), OneDnn.engine());
                    curMem = addWeighted(new inner_product_forward(pd), pd.impl_info_str().getString(), curMem,
                        filled(wDims, wTag, d.weights, keep), pd.weights_desc(), d.bias, yDesc);
                    cur = yDesc;
                    dims = yDims;
                }
            }
            outDims = dims;
            long length = 1;
            for (long d : dims) length *= d;
            outLength = length;
            out = new FloatPointer(length);
            // the caller reads NCHW: one reorder at the end (a plain copy after a dense layer)
            memory outMem = new memory(desc(dims, dims.length == 4 ? memory.format_tag.nchw : memory.format_tag.nc), OneDnn.engine(), out);
            IntMemoryMap args = new IntMemoryMap();
            args.put(dnnl.DNNL_ARG_FROM, curMem);
            args.put(dnnl.DNNL_ARG_TO, outMem);
            steps.add(new Step(new reorder(curMem, outMem), args, "reorder"));
            keep.add(outMem);
        }

        /**
         * Adds a convolution or dense step: its weights reordered (once) to the layout the primitive chose, its bias,
         * and a new output memory of {@code yDesc}, which is returned.
         */
        private memory addWeighted(primitive prim, String impl, memory src, memory weights, memory.desc wanted,
                                   float[] bias, memory.desc yDesc) {
            memory w = reordered(weights, wanted);
            memory b = filled(new long[] {bias.length}, memory.format_tag.a, bias, keep);
            memory dst = new memory(yDesc, OneDnn.engine());
            IntMemoryMap args = new IntMemoryMap();
            args.put(dnnl.DNNL_ARG_SRC, src);
            args.put(dnnl.DNNL_ARG_WEIGHTS, w);
            args.put(dnnl.DNNL_ARG_BIAS, b);
            args.put(dnnl.DNNL_ARG_DST, dst);
            keep.add(w);
            keep.add(b);
            keep.add(dst);
            steps.add(new Step(prim, args, impl));
            return dst;
        }

        /** The plan's buffers: activations, weights, input and output. */
        long bytes() {
            long b = 0;
            for (Object o : keep) if (o instanceof memory m) b += m.get_desc().get_size();
            return b;
        }

        /** Frees the native objects now rather than whenever the collector gets to them. */
        void close() {
            for (Step s : steps) {
                s.prim().close();
                s.args().close();
            }
            for (Object o : keep) if (o instanceof memory m) m.close();
            for (Object o : keep) if (o instanceof FloatPointer f) f.close();
            in.close();
            out.close();
        }

        Output run(float[] x) {
            in.put(x);
            for (Step s : steps) s.run();
            float[] y = new float[(int) outLength];
            out.get(y);
            return new Output(y, outDims.clone());
        }
    }
}
