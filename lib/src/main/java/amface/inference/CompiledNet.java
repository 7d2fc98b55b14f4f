package amface.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.prelu_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * An {@link InferencePlan} as oneDNN 2.5 primitives for one batch size and number format, made once and run many
 * times. Activations are NHWC throughout: oneDNN's PReLU, binary add and batch norm have jit kernels for NHWC in
 * f32, bf16 and s8, while for the blocked layouts the convolutions might prefer its PReLU is a reference kernel;
 * NHWC also needs no reorder between layers. Each value is stored in the format of the operator that made it
 * ({@code f32}, {@code bf16}, or {@code s8} with a per-tensor scale); a reorder converts where a consumer wants
 * another. Buffers are reused once a value's last reader has run.
 *
 * <p>Per format: {@code FP32} everything f32; {@code BF16} convolutions, PReLU, adds and batch norms in bf16 (f32
 * accumulation and bias inside oneDNN), the input and the dense layer's output f32; {@code INT8} (a calibrated
 * {@link Int8Scales}) every convolution but the first in s8 (weights s8 with one scale per output channel, applied
 * with the activation scales as oneDNN's per-channel output scales; bias f32 in the accumulator's scale), the first
 * convolution, the dense layer and any operator the quantization {@linkplain Int8Scales#keeps keeps} in the base
 * format (f32 or bf16; a reorder quantizes its output for an s8 consumer), PReLU on s8 (it commutes with a positive scale),
 * adds with one scale per input.
 */
final class CompiledNet implements AutoCloseable {
    /** What a step does, for profiles: convolutions against the glue around them. */
    enum Kind { CONV, PRELU, ADD, NORM, DENSE, REORDER }

    /** A primitive and its arguments; {@code value} (or null) names the value it makes in {@code observed} at {@code scale}. */
    record Step(primitive prim, IntMemoryMap args, String impl, Kind kind, String value, memory observed, memory.data_type type, float scale) {
        void run() {
            prim.execute(Dnnl.stream(), args);
        }

        /** The value this step made, as real numbers (NHWC or [n, features]), read right after it ran. */
        float[] read() {
            memory.desc d = observed.get_desc();
            long n = d.get_size() / (type == memory.data_type.f32 ? 4 : type == memory.data_type.bf16 ? 2 : 1);
            float[] v = new float[(int) n];
            Pointer at = observed.get_data_handle();
            if (type == memory.data_type.f32) {
                new FloatPointer(at).capacity(n).get(v);
            } else if (type == memory.data_type.bf16) {
                ShortPointer p = new ShortPointer(at).capacity(n);
                for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat((p.get(i) & 0xffff) << 16);
            } else {
                BytePointer p = new BytePointer(at).capacity(n);
                for (int i = 0; i < n; i++) v[i] = p.get(i) / scale;
            }
            return v;
        }
    }

    /** A value: its memory, format and quantization scale (quantized = real x scale; 1 for floats). */
    private record Tensor(memory mem, long[] dims, memory.data_type type, float scale, BytePointer buffer) { }

    private final InferencePlan plan;
    private final int batch;
    private final memory.data_type base;
    private final Int8Scales int8;
    final List<Step> steps = new ArrayList<>();
    private final List<Object> keep = new ArrayList<>();
    private final Map<String, Tensor> values = new HashMap<>();
    private final List<BytePointer> free = new ArrayList<>();
    private final List<BytePointer> all = new ArrayList<>();
    /** Buffers of conversions made for the operator being built: free once it is. */
    private final List<BytePointer> temporaries = new ArrayList<>();
    final FloatPointer in;
    final FloatPointer out;
    final int features;

    /**
     * {@code bf16} selects the base format (bf16 or f32), {@code int8} (or null) the calibrated scales. Each step
     * that makes a value names it and its memory, so calibration can read it right after the step ran.
     */
    CompiledNet(InferencePlan plan, int batch, boolean bf16, Int8Scales int8) {
        this.plan = plan;
        this.batch = batch;
        this.base = bf16 ? memory.data_type.bf16 : memory.data_type.f32;
        this.int8 = int8;
        long[] x = {batch, plan.channels(), plan.height(), plan.width()};
        in = new FloatPointer(x[0] * x[1] * x[2] * x[3]);
        keep.add(in);
        memory inMem = new memory(desc(x, memory.data_type.f32), Dnnl.engine(), in);
        values.put(plan.input(), new Tensor(inMem, x, memory.data_type.f32, 1f, null));
        Map<String, Integer> last = plan.lastUses();
        String firstConv = null;
        for (InferencePlan.Op op : plan.ops()) {
            if (op instanceof InferencePlan.Conv c && c.input().equals(plan.input())) firstConv = c.name();
        }
        for (int i = 0; i < plan.ops().size(); i++) {
            InferencePlan.Op op = plan.ops().get(i);
            if (op instanceof InferencePlan.Conv c) conv(c, i, last, !c.name().equals(firstConv) && !kept(c.name()));
            else if (op instanceof InferencePlan.Affine a) affine(a);
            else if (op instanceof InferencePlan.Add a) add(a, i, last);
            else if (op instanceof InferencePlan.Dense d) dense(d);
            for (String input : op.inputs()) release(input, i, last);
            free.addAll(temporaries);
            temporaries.clear();
        }
        InferencePlan.Dense last0 = (InferencePlan.Dense) plan.op(plan.output());
        features = last0.out();
        Tensor y = values.get(plan.output());
        out = new FloatPointer(y.mem().get_desc().get_size() / 4);
        memory outMem = new memory(y.mem().get_desc(), Dnnl.engine(), out);
        keep.add(outMem);
        addStep(new reorder(y.mem(), outMem), args(dnnl.DNNL_ARG_FROM, y.mem(), dnnl.DNNL_ARG_TO, outMem), "reorder", Kind.REORDER, null, null);
    }

    private boolean quantized(boolean allowed) {
        return int8 != null && allowed;
    }

    /** Whether the quantization keeps operator {@code name} in the base format. */
    private boolean kept(String name) {
        return int8 != null && int8.keeps(name);
    }

    private static memory.desc desc(long[] dims, memory.data_type t) {
        return new memory.desc(dims, t, dims.length == 4 ? memory.format_tag.nhwc : memory.format_tag.nc);
    }

    private long[] shape(long[] dims) {
        return dims.length == 3 ? new long[] {batch, dims[0], dims[1], dims[2]} : new long[] {batch, dims[0]};
    }

    /** A fresh memory of {@code d}, on a buffer no live value uses. */
    private Tensor allocate(long[] dims, memory.data_type type, float scale) {
        memory.desc d = desc(dims, type);
        BytePointer best = buffer(d.get_size());
        memory m = new memory(d, Dnnl.engine(), best);
        keep.add(m);
        return new Tensor(m, dims, type, scale, best);
    }

    /** The smallest free buffer of at least {@code bytes}, or a new one. */
    private BytePointer buffer(long bytes) {
        BytePointer best = null;
        for (BytePointer b : free) if (b.capacity() >= bytes && (best == null || b.capacity() < best.capacity())) best = b;
        if (best != null) {
            free.remove(best);
        } else {
            best = new BytePointer(bytes);
            all.add(best);
        }
        return best;
    }

    private void release(String name, int at, Map<String, Integer> last) {
        if (last.getOrDefault(name, -1) != at) return;
        Tensor t = values.remove(name);
        if (t != null && t.buffer() != null) free.add(t.buffer());
    }

    /** {@code name} in {@code type} at {@code scale} (quantized formats), converted by a reorder when needed. */
    private Tensor as(String name, memory.data_type type, float scale) {
        Tensor t = values.get(name);
        if (t.type() == type && (type != memory.data_type.s8 || t.scale() == scale)) return t;
        Tensor to = allocate(t.dims(), type, scale);
        primitive_attr attr = new primitive_attr();
        float ratio = scale / t.scale();
        if (ratio != 1f) attr.set_output_scales(0, new float[] {ratio});
        reorder.primitive_desc pd = new reorder.primitive_desc(Dnnl.engine(), t.mem().get_desc(), Dnnl.engine(), to.mem().get_desc(), attr, false);
        addStep(new reorder(pd), args(dnnl.DNNL_ARG_FROM, t.mem(), dnnl.DNNL_ARG_TO, to.mem()), pd.impl_info_str().getString(), Kind.REORDER, null, null);
        temporaries.add(to.buffer());
        return to;
    }

    private void conv(InferencePlan.Conv c, int at, Map<String, Integer> last, boolean int8Allowed) {
        boolean q = quantized(int8Allowed);
        memory.data_type t = q ? memory.data_type.s8 : base;
        float sIn = q ? int8.scale(c.input()) : 1f, sOut = q ? int8.scale(c.name()) : 1f;
        Tensor src = as(c.input(), t, sIn);
        long[] yDims = shape(c.dims());
        long[] wDims = {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()};
        long[] s = {c.stride(), c.stride()}, p = {c.pad(), c.pad()};
        primitive_attr attr = new primitive_attr();
        float[] bias = c.bias().clone();
        float[] wScale = null;
        if (q) {
            wScale = Int8Scales.weightScales(c.weights(), c.outChannels());
            float[] os = new float[c.outChannels()];
            for (int o = 0; o < os.length; o++) {
                os[o] = sOut / (sIn * wScale[o]);
                bias[o] *= sIn * wScale[o]; // oneDNN 2.x adds the bias before the output scale
            }
            attr.set_output_scales(2, os);
        }
        Tensor res = null;
        if (c.residual() != null) {
            res = as(c.residual(), t, q ? int8.scale(c.residual()) : 1f);
            post_ops ops = new post_ops();
            ops.append_sum(q ? sOut / res.scale() : 1f, memory.data_type.undef);
            attr.set_post_ops(ops);
        }
        memory.desc yDesc = desc(yDims, t);
        memory.desc wDesc = new memory.desc(wDims, t, memory.format_tag.any);
        memory.desc bDesc = new memory.desc(new long[] {c.outChannels()}, memory.data_type.f32, memory.format_tag.a);
        convolution_forward.primitive_desc pd = winograd(t, c) ? winograd(src.dims(), wDesc, bDesc, yDims, s, p, attr) : null;
        boolean blocked = pd != null;
        if (pd == null) {
            pd = new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_inference,
                dnnl.algorithm.convolution_direct, src.mem().get_desc(), wDesc, bDesc, yDesc, s, p, p), attr, Dnnl.engine());
        }
        memory w = q ? Weights.s8(wDims, c.weights(), wScale, pd.weights_desc(), keep) : Weights.floats(wDims, memory.format_tag.oihw, c.weights(), pd.weights_desc(), keep);
        memory b = Weights.floats(new long[] {bias.length}, memory.format_tag.a, bias, null, keep);
        Tensor dst;
        boolean residualInPlace = res != null && res.buffer() != null && values.get(c.residual()) == res
            && last.getOrDefault(c.residual(), -1) == at;
        if (res == null) {
            dst = allocate(yDims, t, sOut);
        } else if (residualInPlace) {
            values.remove(c.residual()); // the sum overwrites it: its buffer now holds this value
            memory m = new memory(yDesc, Dnnl.engine(), res.buffer());
            keep.add(m);
            dst = new Tensor(m, yDims, t, sOut, res.buffer());
        } else {
            dst = allocate(yDims, t, sOut);
            if (!blocked) copy(res.mem(), dst.mem());
        }
        memory convSrc = src.mem(), convDst = dst.mem();
        if (blocked) { // Winograd's blocked layouts: reorders around it, NHWC outside
            convSrc = temporary(pd.src_desc());
            copy(src.mem(), convSrc);
            convDst = temporary(pd.dst_desc());
            if (res != null) copy(res.mem(), convDst);
        }
        IntMemoryMap a = args(dnnl.DNNL_ARG_SRC, convSrc, dnnl.DNNL_ARG_WEIGHTS, w, dnnl.DNNL_ARG_BIAS, b, dnnl.DNNL_ARG_DST, convDst);
        addStep(new convolution_forward(pd), a, pd.impl_info_str().getString(), Kind.CONV, blocked ? null : c.name(), blocked ? null : dst);
        if (blocked) {
            IntMemoryMap back = args(dnnl.DNNL_ARG_FROM, convDst, dnnl.DNNL_ARG_TO, dst.mem());
            addStep(new reorder(convDst, dst.mem()), back, "reorder", Kind.REORDER, c.name(), dst);
        }
        if (c.alpha() != null) prelu(dst, c.alpha());
        values.put(c.name(), dst);
    }

    /**
     * Whether to try oneDNN's Winograd kernel: f32 3x3 stride-1 convolutions, where it measured about 2x faster than
     * the direct one on AVX-512 (64 channels at 56x48: 29.5 against 62 ms per batch of 32) even with the reorders
     * from and to NHWC it needs; bf16 and int8 have no Winograd kernel in oneDNN 2.5. {@code -Damface.inference.winograd=false}
     * turns it off.
     */
    private static boolean winograd(memory.data_type t, InferencePlan.Conv c) {
        return t == memory.data_type.f32 && c.kernel() == 3 && c.stride() == 1
            && !"false".equals(System.getProperty("amface.inference.winograd"));
    }

    /** Winograd's primitive with the layouts it picks, or null where oneDNN has none for this shape or ISA. */
    private convolution_forward.primitive_desc winograd(long[] src, memory.desc w, memory.desc b, long[] yDims, long[] s, long[] p,
                                                        primitive_attr attr) {
        try {
            memory.desc anySrc = new memory.desc(src, memory.data_type.f32, memory.format_tag.any);
            return new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_inference,
                dnnl.algorithm.convolution_winograd, anySrc, w, b, new memory.desc(yDims, memory.data_type.f32, memory.format_tag.any),
                s, p, p), attr, Dnnl.engine());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A memory of {@code d} on a pooled buffer that is free again once the current operator is built. */
    private memory temporary(memory.desc d) {
        BytePointer best = buffer(d.get_size());
        temporaries.add(best);
        memory m = new memory(d, Dnnl.engine(), best);
        keep.add(m);
        return m;
    }

    private void copy(memory from, memory to) {
        addStep(new reorder(from, to), args(dnnl.DNNL_ARG_FROM, from, dnnl.DNNL_ARG_TO, to), "reorder", Kind.REORDER, null, null);
    }

    /** PReLU in place on {@code x}. */
    private void prelu(Tensor x, float[] alpha) {
        long[] aDims = {1, alpha.length, 1, 1};
        prelu_forward.primitive_desc pd = new prelu_forward.primitive_desc(new prelu_forward.desc(dnnl.prop_kind.forward_inference,
            x.mem().get_desc(), new memory.desc(aDims, memory.data_type.f32, memory.format_tag.any)), Dnnl.engine());
        memory a = Weights.floats(aDims, memory.format_tag.abcd, alpha, pd.weights_desc(), keep);
        addStep(new prelu_forward(pd), args(dnnl.DNNL_ARG_SRC, x.mem(), dnnl.DNNL_ARG_WEIGHTS, a, dnnl.DNNL_ARG_DST, x.mem()),
            pd.impl_info_str().getString(), Kind.PRELU, null, null);
    }

    /** A batch norm left standing, as oneDNN's with global statistics 0 / 1 and the folded scale and shift. */
    private void affine(InferencePlan.Affine op) {
        boolean q = quantized(!kept(op.name()));
        memory.data_type t = q ? memory.data_type.s8 : base;
        float sIn = q ? int8.scale(op.input()) : 1f, sOut = q ? int8.scale(op.name()) : 1f;
        Tensor src = as(op.input(), t, sIn);
        int c = op.scale().length;
        float eps = 1e-6f;
        float[] scaleShift = new float[2 * c], mean = new float[c], var = new float[c];
        for (int k = 0; k < c; k++) {
            // on s8 oneDNN normalises the stored integers: fold both scales in
            scaleShift[k] = op.scale()[k] * sOut / sIn;
            scaleShift[c + k] = op.shift()[k] * sOut;
            var[k] = 1f - eps;
        }
        batch_normalization_forward.primitive_desc pd = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
            dnnl.prop_kind.forward_inference.value, src.mem().get_desc(), eps,
            dnnl.normalization_flags.use_global_stats.value | dnnl.normalization_flags.use_scale_shift.value), Dnnl.engine());
        Tensor dst = allocate(src.dims(), t, sOut);
        IntMemoryMap a = args(dnnl.DNNL_ARG_SRC, src.mem(), dnnl.DNNL_ARG_DST, dst.mem(),
            dnnl.DNNL_ARG_SCALE_SHIFT, Weights.floats(new long[] {2, c}, memory.format_tag.nc, scaleShift, null, keep),
            dnnl.DNNL_ARG_MEAN, Weights.floats(new long[] {c}, memory.format_tag.a, mean, null, keep));
        a.put(dnnl.DNNL_ARG_VARIANCE, Weights.floats(new long[] {c}, memory.format_tag.a, var, null, keep));
        addStep(new batch_normalization_forward(pd), a, pd.impl_info_str().getString(), Kind.NORM, op.name(), dst);
        values.put(op.name(), dst);
    }

    private void add(InferencePlan.Add op, int at, Map<String, Integer> last) {
        Tensor a0 = values.get(op.a()), b0 = values.get(op.b());
        boolean q = quantized(!kept(op.name()));
        memory.data_type t = q ? memory.data_type.s8 : base;
        float sOut = q ? int8.scale(op.name()) : 1f;
        Tensor a = as(op.a(), t, q ? int8.scale(op.a()) : 1f), b = as(op.b(), t, q ? int8.scale(op.b()) : 1f);
        primitive_attr attr = new primitive_attr();
        if (q) {
            attr.set_scales(dnnl.DNNL_ARG_SRC_0, 0, new float[] {sOut / a.scale()});
            attr.set_scales(dnnl.DNNL_ARG_SRC_1, 0, new float[] {sOut / b.scale()});
        }
        Tensor dst;
        if (a == a0 && a.buffer() != null && last.getOrDefault(op.a(), -1) == at && (!q || sOut == a.scale())) {
            values.remove(op.a());
            dst = new Tensor(a.mem(), a.dims(), t, sOut, a.buffer()); // in place into the first input
        } else if (b == b0 && b.buffer() != null && last.getOrDefault(op.b(), -1) == at && (!q || sOut == b.scale())) {
            values.remove(op.b());
            dst = new Tensor(b.mem(), b.dims(), t, sOut, b.buffer());
        } else {
            dst = allocate(a.dims(), t, sOut);
        }
        binary.primitive_desc pd = new binary.primitive_desc(new binary.desc(dnnl.algorithm.binary_add, a.mem().get_desc(),
            b.mem().get_desc(), dst.mem().get_desc()), attr, Dnnl.engine());
        addStep(new binary(pd), args(dnnl.DNNL_ARG_SRC_0, a.mem(), dnnl.DNNL_ARG_SRC_1, b.mem(), dnnl.DNNL_ARG_DST, dst.mem()),
            pd.impl_info_str().getString(), Kind.ADD, op.name(), dst);
        values.put(op.name(), dst);
    }

    private void dense(InferencePlan.Dense d) {
        Tensor src = as(d.input(), base, 1f);
        long[] inDims = d.inDims();
        boolean image = inDims.length == 3;
        long[] wDims = image ? new long[] {d.out(), inDims[0], inDims[1], inDims[2]} : new long[] {d.out(), inDims[0]};
        memory.desc yDesc = desc(new long[] {batch, d.out()}, memory.data_type.f32);
        inner_product_forward.primitive_desc pd = new inner_product_forward.primitive_desc(new inner_product_forward.desc(
            dnnl.prop_kind.forward_inference, src.mem().get_desc(), new memory.desc(wDims, base, memory.format_tag.any),
            new memory.desc(new long[] {d.out()}, memory.data_type.f32, memory.format_tag.a), yDesc), Dnnl.engine());
        // [out][in] in NHWC flatten order is the OHWI layout of the 4-d weights
        memory w = Weights.floats(wDims, image ? memory.format_tag.ohwi : memory.format_tag.oi, d.weights(), pd.weights_desc(), keep);
        memory b = Weights.floats(new long[] {d.out()}, memory.format_tag.a, d.bias(), null, keep);
        Tensor dst = allocate(new long[] {batch, d.out()}, memory.data_type.f32, 1f);
        addStep(new inner_product_forward(pd), args(dnnl.DNNL_ARG_SRC, src.mem(), dnnl.DNNL_ARG_WEIGHTS, w, dnnl.DNNL_ARG_BIAS, b,
            dnnl.DNNL_ARG_DST, dst.mem()), pd.impl_info_str().getString(), Kind.DENSE, d.name(), dst);
        values.put(d.name(), dst);
    }

    private static IntMemoryMap args(Object... pairs) {
        IntMemoryMap m = new IntMemoryMap();
        for (int i = 0; i < pairs.length; i += 2) m.put((Integer) pairs[i], (memory) pairs[i + 1]);
        return m;
    }

    private void addStep(primitive p, IntMemoryMap args, String impl, Kind kind, String value, Tensor observed) {
        steps.add(new Step(p, args, impl, kind, value, observed == null ? null : observed.mem(),
            observed == null ? null : observed.type(), observed == null ? 1f : observed.scale()));
    }

    /** Runs every step on the input already in {@link #in}; the embeddings are then in {@link #out}. */
    void run() {
        for (Step s : steps) s.run();
        Dnnl.stream()._wait();
    }

    /** Runs step by step and returns every named value as real numbers (for calibration and per-layer checks). */
    java.util.LinkedHashMap<String, float[]> trace() {
        java.util.LinkedHashMap<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Step s : steps) {
            s.run();
            if (s.value() == null) continue;
            Dnnl.stream()._wait();
            out.put(s.value(), s.read());
        }
        Dnnl.stream()._wait();
        return out;
    }

    @Override
    public void close() {
        for (Step s : steps) {
            s.prim().close();
            s.args().close();
        }
        for (Object o : keep) if (o instanceof memory m) m.close();
        for (Object o : keep) if (o instanceof org.bytedeco.javacpp.Pointer p && !(o instanceof memory)) p.close();
        for (BytePointer b : all) b.close();
        out.close();
    }
}
