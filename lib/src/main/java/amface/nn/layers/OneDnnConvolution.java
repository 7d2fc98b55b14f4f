package amface.nn.layers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's square convolution (symmetric padding, no dilation) on NHWC float arrays through oneDNN, with the
 * primitives, reorders and internal buffers of each input shape created once and kept.
 *
 * <p>Algorithm: Winograd F(4x4, 3x3) ({@code jit_wino_4x3}) for 3x3 stride-1 convolutions whose channels are
 * multiples of 16; direct ({@code brgconv}, NHWC in and out) otherwise. Measured here at batch 32 (fastest of 9
 * runs, shared 2-core AVX-512 machine), Winograd against direct, forward / backward (data + weights) in ms, with
 * the weight transform of every training step included: 64 channels at 56x48 29/60 against 36/89, 128 at 28x24
 * 19/44 against 31/60, 256 at 14x12 20/47 against 30/67, 512 at 7x6 31/68 against 36/74. Winograd works on
 * blocked activations (nChw16c), so its input and output are reordered from and to NHWC (included above).
 * Winograd is less exact: relative error ~2e-6 against direct. The system property
 * {@code amface.nn.winograd=false} turns it off.
 *
 * <p>bf16 plans (mixed-precision training, {@link MixedPrecision}): the user memories stay fp32 NHWC/OIHW; the
 * reorders into the primitive convert the input, weights and output gradient to bf16, the kernels accumulate in
 * fp32 and write the output, input gradient and weight gradient as fp32 directly (no conversion back). oneDNN has
 * no bf16 Winograd, so bf16 runs the direct kernels.
 */
final class OneDnnConvolution {
    /** Output positions from which Winograd is used: every size measured (down to 7x6) was faster with it. */
    static final int WINOGRAD_MIN_PIXELS = 1;

    private final int kernel;
    private final int stride;
    private final int pad;
    private final int winogradMinPixels;
    private final Map<Shape, Plan> plans = new HashMap<>();

    OneDnnConvolution(int kernel, int stride, int pad) {
        this(kernel, stride, pad, WINOGRAD_MIN_PIXELS);
    }

    /** With another Winograd threshold (0: wherever it applies; Integer.MAX_VALUE: never), for measurements. */
    OneDnnConvolution(int kernel, int stride, int pad, int winogradMinPixels) {
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.winogradMinPixels = winogradMinPixels;
    }

    private record Shape(long n, long h, long w, long in, long out, boolean training, boolean bias, boolean bf16) { }

    /** Plans kept per layer: a few input shapes (the last smaller batch of an epoch, inference and training). */
    private static final int MAX_PLANS = 8;

    /**
     * Output positions from which a bf16 plan also runs its backward in bf16. oneDNN 2.5's bf16 backward kernels
     * without AMX ({@code jit_bf16:avx512_core_bf16}) lost to fp32 (measured on AVX512-BF16 without AMX, batch 32,
     * under load, see {@code ConvPrecisionProfile}) on stride-2 convolutions (64->128 at 56x48: 1550 against 602 ms,
     * 128->256 at 28x24: 601 against 230) and on the smallest maps (512 at 7x6: 650 against 309, backward weights being
     * the weak kernel), and won on the stride-1 ones from 14x12 up (64 at 56x48: 569 against 840, 128 at 28x24:
     * 464 against 594, 256 at 14x12: 171 against 197). Elsewhere the backward runs fp32 from the fp32 input and
     * weights, which is more exact, so the mixed-precision contract holds either way. With AMX every backward runs
     * bf16: oneDNN's AMX kernels were 2.7-7x fp32 at every ResFace size (issue 15's table; not verifiable here).
     */
    static final int BF16_BACKWARD_MIN_PIXELS = 100;

    /** Whether a bf16 plan's backward runs bf16 for this output size (else fp32; see {@link #BF16_BACKWARD_MIN_PIXELS}). */
    boolean bf16Backward(long oh, long ow) {
        return CpuIsa.current().amx() || stride == 1 && oh * ow >= BF16_BACKWARD_MIN_PIXELS;
    }

    /** True when this layer and input shape run Winograd (tests use it to pick tolerances). */
    boolean winograd(long h, long w, long in, long out) {
        long oh = (h + 2L * pad - kernel) / stride + 1, ow = (w + 2L * pad - kernel) / stride + 1;
        return !"false".equals(System.getProperty("amface.nn.winograd")) && kernel == 3 && stride == 1
            && in % 16 == 0 && out % 16 == 0 && oh * ow >= winogradMinPixels;
    }

    /** {@code y = conv(x, w) (+ bias)}: x [n, h, w, in], w [out, in, k, k], bias [out] or null, y [n, oh, ow, out]. */
    void forward(INDArray x, INDArray w, INDArray bias, INDArray y, boolean training) {
        forward(x, w, bias, y, training, false);
    }

    /**
     * As {@link #forward(INDArray, INDArray, INDArray, INDArray, boolean)}, in bf16 when {@code bf16}: the float
     * input and weights are converted to bf16 by the reorders into the primitive's layout, the primitive
     * accumulates in fp32 and writes the fp32 output straight into {@code y} (no conversion back).
     */
    void forward(INDArray x, INDArray w, INDArray bias, INDArray y, boolean training, boolean bf16) {
        Plan p = plan(x, w.size(0), training, bias != null, bf16);
        p.forward(x, () -> w, false, 0, bias, y);
    }

    /**
     * Inference: {@code y = conv(x, w) + bias}. The weights are asked for and reordered into the primitive's
     * layout only when {@code weightsVersion} differs from the last call's, so the caller need not keep them. (PReLU is not fused as a post-op: oneDNN 2.5 has it
     * only in its reference kernel, ~10x slower; {@link OneDnnPrelu} runs it after.)
     */
    void forwardInference(INDArray x, Supplier<INDArray> w, long weightsVersion, INDArray bias, INDArray y) {
        Plan p = plan(x, bias.length(), false, true, false);
        p.forward(x, w, true, weightsVersion, bias, y);
    }

    /** Gradients of {@link #forward} (no bias): gradX from gradY and w, gradW from x and gradY (overwritten). */
    void backward(INDArray x, INDArray w, INDArray gradY, INDArray gradX, INDArray gradW) {
        backward(x, w, gradY, gradX, gradW, false);
    }

    /**
     * Gradients in bf16 when {@code bf16}: x, w and gradY are converted to bf16 on their reorders, gradX and gradW
     * come out in fp32 (oneDNN's bf16 kernels accumulate in fp32 and write fp32 diff_src / diff_weights directly).
     */
    void backward(INDArray x, INDArray w, INDArray gradY, INDArray gradX, INDArray gradW, boolean bf16) {
        Plan p = plan(x, w.size(0), true, false, bf16 && bf16Backward(gradY.size(1), gradY.size(2)));
        p.backward(x, w, gradY, gradX, gradW);
    }

    private Plan plan(INDArray x, long outChannels, boolean training, boolean bias, boolean bf16) {
        Shape s = new Shape(x.size(0), x.size(1), x.size(2), x.size(3), outChannels, training, bias, bf16);
        Plan p = plans.get(s);
        if (p == null) {
            if (plans.size() >= MAX_PLANS) plans.clear();
            p = new Plan(s);
            plans.put(s, p);
        }
        return p;
    }

    /** A reorder between two memories whose data handles are set before each run. */
    private static final class Reorder {
        final reorder prim;
        final IntMemoryMap args = new IntMemoryMap();

        Reorder(memory from, memory to) {
            prim = new reorder(from, to);
            args.put(dnnl.DNNL_ARG_FROM, from);
            args.put(dnnl.DNNL_ARG_TO, to);
        }

        void run() {
            prim.execute(OneDnn.stream(), args);
        }
    }

    /**
     * An argument of a primitive: the user's NHWC/OIHW array, and when the primitive wants another layout, an
     * internal buffer with the reorder between them: a shared {@link OneDnnScratch} buffer for activations (role
     * given), the argument's own for weights (no role; inference keeps them reordered across calls).
     */
    private static final class Arg {
        final memory user;
        final memory inner;
        final Reorder in;
        final Reorder out;
        final OneDnnScratch.Role role;
        final long bytes;

        Arg(memory.desc userDesc, memory.desc wanted, boolean input, OneDnnScratch.Role role) {
            user = new memory(userDesc, OneDnn.engine(), new OneDnn.Address(0));
            this.role = role;
            if (wanted.equals(userDesc)) {
                inner = user;
                in = null;
                out = null;
                bytes = 0;
            } else {
                inner = role == null ? new memory(wanted, OneDnn.engine()) : new memory(wanted, OneDnn.engine(), new OneDnn.Address(0));
                bytes = wanted.get_size();
                in = input ? new Reorder(user, inner) : null;
                out = input ? null : new Reorder(inner, user);
            }
        }

        private void bindInner() {
            if (role != null && inner != user) inner.set_data_handle(OneDnnScratch.get(role, bytes));
        }

        /** Points the user memory at {@code a} and brings it into the primitive's layout. */
        void bindInput(INDArray a) {
            user.set_data_handle(OneDnn.address(a));
            bindInner();
            if (in != null) in.run();
        }

        void bindOutput(INDArray a) {
            user.set_data_handle(OneDnn.address(a));
            bindInner();
        }

        void finishOutput() {
            if (out != null) out.run();
        }
    }

    private final class Plan {
        final boolean winograd;
        final convolution_forward.primitive_desc fwdPd;
        final primitive fwd;
        final IntMemoryMap fwdArgs = new IntMemoryMap();
        final Arg fx;
        final Arg fw;
        final Arg fy;
        final memory fb;
        /** Version of the weights in {@code fw.inner}, valid when {@code weightsCached}. */
        long weightsVersion;
        boolean weightsCached;
        /** The caller's weights, kept only where the primitive reads them in place (no reorder). */
        INDArray weightsInPlace;
        /** Whether one reordered gradY serves both backward primitives. */
        boolean sharedGy;
        // backward (training plans only), created on first use
        primitive bwdData;
        primitive bwdWeights;
        final IntMemoryMap bdArgs = new IntMemoryMap();
        final IntMemoryMap bwArgs = new IntMemoryMap();
        Arg bdW;
        Arg bdGy;
        Arg bdGx;
        Arg bwX;
        Arg bwGy;
        Arg bwGw;
        String bdImpl;
        String bwImpl;

        final long[] xDims;
        final long[] wDims;
        final long[] yDims;
        final memory.desc xDesc;
        final memory.desc wDesc;
        final memory.desc yDesc;
        final long[] strides;
        final long[] pads;
        final boolean bf16;

        Plan(Shape s) {
            bf16 = s.bf16;
            long oh = (s.h + 2L * pad - kernel) / stride + 1, ow = (s.w + 2L * pad - kernel) / stride + 1;
            xDims = new long[] {s.n, s.in, s.h, s.w};
            yDims = new long[] {s.n, s.out, oh, ow};
            wDims = new long[] {s.out, s.in, kernel, kernel};
            xDesc = OneDnn.desc(xDims, memory.format_tag.nhwc);
            yDesc = OneDnn.desc(yDims, memory.format_tag.nhwc);
            wDesc = OneDnn.desc(wDims, memory.format_tag.oihw);
            strides = new long[] {stride, stride};
            pads = new long[] {pad, pad};
            // oneDNN has no bf16 Winograd: bf16 runs the direct kernels
            boolean wino = !s.bf16 && winograd(s.h, s.w, s.in, s.out);
            convolution_forward.primitive_desc pd = wino ? tryWinograd(s) : null;
            winograd = pd != null;
            if (pd == null) pd = forwardDesc(s, dnnl.algorithm.convolution_direct, false);
            fwdPd = pd;
            fwd = new convolution_forward(pd);
            fx = new Arg(xDesc, pd.src_desc(), true, OneDnnScratch.Role.SRC);
            // training reorders the weights on every call: a shared buffer; inference keeps its own
            fw = new Arg(wDesc, pd.weights_desc(), true, s.training ? OneDnnScratch.Role.WEIGHTS : null);
            fy = new Arg(yDesc, pd.dst_desc(), false, OneDnnScratch.Role.DST);
            fwdArgs.put(dnnl.DNNL_ARG_SRC, fx.inner);
            fwdArgs.put(dnnl.DNNL_ARG_WEIGHTS, fw.inner);
            fwdArgs.put(dnnl.DNNL_ARG_DST, fy.inner);
            if (s.bias) {
                fb = new memory(OneDnn.desc(new long[] {s.out}, memory.format_tag.a), OneDnn.engine(), new OneDnn.Address(0));
                fwdArgs.put(dnnl.DNNL_ARG_BIAS, fb);
            } else {
                fb = null;
            }
        }

        /** The Winograd descriptor, or null where this CPU has no optimised Winograd kernel for the shape. */
        private convolution_forward.primitive_desc tryWinograd(Shape s) {
            try {
                convolution_forward.primitive_desc pd = forwardDesc(s, dnnl.algorithm.convolution_winograd, true);
                return pd.impl_info_str().getString().startsWith("ref") ? null : pd;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private convolution_forward.primitive_desc forwardDesc(Shape s, dnnl.algorithm alg, boolean anyLayout) {
            memory.desc any = weightsAny();
            memory.desc src = anyLayout ? OneDnn.desc(xDims, memory.format_tag.any) : inner(xDims);
            memory.desc dst = anyLayout ? OneDnn.desc(yDims, memory.format_tag.any) : yDesc;
            dnnl.prop_kind prop = s.training && !s.bf16 ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
            convolution_forward.desc d = s.bias
                ? new convolution_forward.desc(prop, alg, src, any, OneDnn.desc(new long[] {s.out}, memory.format_tag.a), dst, strides, pads, pads)
                : new convolution_forward.desc(prop, alg, src, any, dst, strides, pads, pads);
            return new convolution_forward.primitive_desc(d, OneDnn.engine());
        }

        /** The weights in the primitive's choice of layout, bf16 in a bf16 plan. */
        private memory.desc weightsAny() {
            return new memory.desc(wDims, bf16 ? memory.data_type.bf16 : memory.data_type.f32, memory.format_tag.any);
        }

        /**
         * An activation or gradient the primitive reads: NHWC float, or in a bf16 plan NHWC bf16 (the reorder from
         * the user's float array converts it). The fp32 outputs are written in place by the bf16 kernels.
         */
        private memory.desc inner(long[] dims) {
            return new memory.desc(dims, bf16 ? memory.data_type.bf16 : memory.data_type.f32, memory.format_tag.nhwc);
        }

        void forward(INDArray x, Supplier<INDArray> w, boolean versioned, long version, INDArray bias, INDArray y) {
            fx.bindInput(x);
            if (!versioned || !weightsCached || version != weightsVersion) {
                INDArray weights = w.get();
                fw.bindInput(weights);
                weightsInPlace = fw.in == null ? weights : null;
                weightsVersion = version;
                weightsCached = versioned;
            }
            fy.bindOutput(y);
            if (fb != null) fb.set_data_handle(OneDnn.address(bias));
            fwd.execute(OneDnn.stream(), fwdArgs);
            fy.finishOutput();
        }

        void backward(INDArray x, INDArray w, INDArray gradY, INDArray gradX, INDArray gradW) {
            if (bwdData == null) createBackward();
            bdW.bindInput(w);
            bdGy.bindInput(gradY);
            bdGx.bindOutput(gradX);
            bwdData.execute(OneDnn.stream(), bdArgs);
            bdGx.finishOutput();
            bwX.bindInput(x);
            if (!sharedGy) bwGy.bindInput(gradY);
            bwGw.bindOutput(gradW);
            bwdWeights.execute(OneDnn.stream(), bwArgs);
            bwGw.finishOutput();
        }

        private void createBackward() {
            dnnl.algorithm alg = winograd ? dnnl.algorithm.convolution_winograd : dnnl.algorithm.convolution_direct;
            memory.desc anyW = weightsAny();
            memory.desc x = winograd ? OneDnn.desc(xDims, memory.format_tag.any) : xDesc;
            memory.desc y = winograd ? OneDnn.desc(yDims, memory.format_tag.any) : yDesc;
            convolution_backward_data.primitive_desc dpd;
            convolution_backward_weights.primitive_desc wpd;
            try {
                // bf16: bf16 weights and gradY in, fp32 gradX out; bf16 x and gradY in, fp32 gradW out
                dpd = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(alg, x, anyW, bf16 ? inner(yDims) : y, strides, pads, pads), OneDnn.engine(), fwdPd);
                wpd = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(alg, bf16 ? inner(xDims) : x, OneDnn.desc(wDims, memory.format_tag.any),
                        bf16 ? inner(yDims) : y, strides, pads, pads), OneDnn.engine(), fwdPd);
            } catch (RuntimeException e) {
                if (bf16) throw e;
                // Winograd forward without a Winograd backward on this CPU: direct backward on NHWC
                alg = dnnl.algorithm.convolution_direct;
                dpd = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(alg, xDesc, anyW, yDesc, strides, pads, pads), OneDnn.engine(), fwdPd);
                wpd = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(alg, xDesc, anyW, yDesc, strides, pads, pads), OneDnn.engine(), fwdPd);
            }
            bdW = new Arg(wDesc, dpd.weights_desc(), true, OneDnnScratch.Role.WEIGHTS);
            bdGy = new Arg(yDesc, dpd.diff_dst_desc(), true, OneDnnScratch.Role.DIFF_DST);
            bdGx = new Arg(xDesc, dpd.diff_src_desc(), false, OneDnnScratch.Role.DIFF_SRC);
            bdArgs.put(dnnl.DNNL_ARG_WEIGHTS, bdW.inner);
            bdArgs.put(dnnl.DNNL_ARG_DIFF_DST, bdGy.inner);
            bdArgs.put(dnnl.DNNL_ARG_DIFF_SRC, bdGx.inner);
            // Winograd's blocked gradY: reordered once for both backward primitives. (The forward's blocked input
            // is not kept for backward-weights: a buffer per layer cost more memory than the reorder costs time.)
            sharedGy = bdGy.in != null && wpd.diff_dst_desc().equals(dpd.diff_dst_desc());
            bwX = new Arg(xDesc, wpd.src_desc(), true, OneDnnScratch.Role.SRC);
            bwGy = sharedGy ? bdGy : new Arg(yDesc, wpd.diff_dst_desc(), true, OneDnnScratch.Role.DST);
            bwGw = new Arg(wDesc, wpd.diff_weights_desc(), false, OneDnnScratch.Role.DIFF_WEIGHTS);
            bwArgs.put(dnnl.DNNL_ARG_SRC, bwX.inner);
            bwArgs.put(dnnl.DNNL_ARG_DIFF_DST, bwGy.inner);
            bwArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, bwGw.inner);
            bdImpl = dpd.impl_info_str().getString();
            bwImpl = wpd.impl_info_str().getString();
            bwdData = new convolution_backward_data(dpd);
            bwdWeights = new convolution_backward_weights(wpd);
        }
    }

    /** Implementation names of the cached primitives (forward, and backward data / weights once used), for diagnostics. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Shape, Plan> e : plans.entrySet()) {
            Plan p = e.getValue();
            b.append(e.getKey()).append(": ").append(p.fwdPd.impl_info_str().getString());
            if (p.bwdData != null) b.append(" / ").append(p.bdImpl).append(" / ").append(p.bwImpl);
            b.append('\n');
        }
        return b.toString();
    }
}
