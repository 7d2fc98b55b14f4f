package amface.nn.layers;

import java.util.Arrays;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.prelu_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * In-place per-channel PReLU on an NHWC float array through oneDNN's {@code prelu_forward} ({@code jit_uni}),
 * the primitive kept for the last shape. Measured at batch 32 against the Java host loop: 1.3 against 3.5 ms at
 * 64x56x48, 0.4 against 2.4 ms at 128x28x24, 0.2 against 2.4 ms at 256x14x12 (the Java loop's per-call setup
 * dominates the small maps). oneDNN only has a reference kernel for blocked layouts, so NHWC it is.
 */
final class OneDnnPrelu {
    private long[] dims;
    private prelu_forward primitive;
    private memory data;
    private memory weights;
    private final IntMemoryMap args = new IntMemoryMap();

    /** {@code x = x > 0 ? x : alpha * x} for x [n, h, w, c] (dense, float) and alpha [c]. */
    void forwardInPlace(INDArray x, INDArray alpha) {
        long[] d = {x.size(0), x.size(3), x.size(1), x.size(2)};
        if (!Arrays.equals(d, dims)) {
            memory.desc md = OneDnn.desc(d, memory.format_tag.nhwc);
            memory.desc wd = OneDnn.desc(new long[] {1, d[1], 1, 1}, memory.format_tag.nchw);
            prelu_forward.primitive_desc pd = new prelu_forward.primitive_desc(
                new prelu_forward.desc(dnnl.prop_kind.forward_inference, md, wd), OneDnn.engine());
            primitive = new prelu_forward(pd);
            data = new memory(md, OneDnn.engine(), new OneDnn.Address(0));
            weights = new memory(pd.weights_desc(), OneDnn.engine(), new OneDnn.Address(0));
            args.put(dnnl.DNNL_ARG_SRC, data);
            args.put(dnnl.DNNL_ARG_DST, data);
            args.put(dnnl.DNNL_ARG_WEIGHTS, weights);
            dims = d;
        }
        data.set_data_handle(OneDnn.address(x));
        weights.set_data_handle(OneDnn.address(alpha));
        primitive.execute(OneDnn.stream(), args);
    }
}
