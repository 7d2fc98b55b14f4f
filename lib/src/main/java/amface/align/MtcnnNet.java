package amface.align;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

import amface.nn.layers.OneDnnChain;

/**
 * One MTCNN network's layers, listed once and run either way: as one {@link OneDnnChain} on NHWC buffers where
 * oneDNN is usable (the CPU path), else as ND4J ops on NCHW arrays (e.g. on the GPU backend). Input is scaled to
 * [-1, 1]; the output is the last layer's, channel-major: NCHW maps for P-Net, {@code [n, width]} rows for R-Net
 * and O-Net.
 */
final class MtcnnNet {
    private final List<MtcnnOps.Layer> layers;
    /** The same layers as one oneDNN chain, or null where the ND4J ops run. */
    private final OneDnnChain chain;

    MtcnnNet(MtcnnOps.Layer... layers) {
        this(false, layers);
    }

    /** {@code proposal}: this is P-Net (the measurement switch below can put P-Net alone in bf16). */
    MtcnnNet(boolean proposal, MtcnnOps.Layer... layers) {
        this.layers = List.of(layers);
        String measured = System.getProperty("amface.mtcnn.precision", "fp32");
        if (MtcnnOps.chains()) {
            // P-Net's chain keeps a plan per pyramid level: LFW-size images have 8 (about 6 MB in all)
            // bf16 measured against f32 over LFW (issue 15: adopt only if faster and landmarks move <= 0.1 px on
            // average): kept as a measurement switch, see MtcnnBf16Measurement
            OneDnnChain.Builder b = OneDnnChain.builder(3).bf16(measured.equals("bf16") || proposal && measured.equals("bf16-pnet"));
            for (MtcnnOps.Layer layer : layers) layer.appendTo(b);
            chain = b.build();
        } else {
            chain = null;
        }
    }

    /** A fully convolutional net's output maps, with their dims {@code [n, c, h, w]}, for NCHW input. */
    OneDnnChain.Output maps(INDArray nchw) {
        if (chain != null) return maps(MtcnnOps.nhwc(nchw), (int) nchw.size(0), (int) nchw.size(2), (int) nchw.size(3));
        return output(apply(nchw));
    }

    /** The same for NHWC input {@code [n, h, w, 3]} in C order. */
    OneDnnChain.Output maps(float[] nhwc, int n, int h, int w) {
        if (chain == null) return output(apply(MtcnnOps.nchw(nhwc, n, h, w, 3)));
        return chain.forward(nhwc, n, h, w);
    }

    /** The {@code [n, width]} outputs for NCHW crops {@code [n, 3, side, side]}. */
    float[] rows(INDArray nchw, int width) {
        if (chain != null) return rows(MtcnnOps.nhwc(nchw), (int) nchw.size(0), (int) nchw.size(2), width);
        return MtcnnOps.floats(apply(nchw));
    }

    /** The same for {@code n} NHWC crops {@code [n, side, side, 3]} in C order. */
    float[] rows(float[] nhwc, int n, int side, int width) {
        if (chain == null) return MtcnnOps.floats(apply(MtcnnOps.nchw(nhwc, n, side, side, 3)));
        return MtcnnOps.chunked(chain, nhwc, n, side, width);
    }

    private INDArray apply(INDArray x) {
        for (MtcnnOps.Layer layer : layers) x = layer.apply(x);
        return x;
    }

    private static OneDnnChain.Output output(INDArray y) {
        return new OneDnnChain.Output(MtcnnOps.floats(y), y.shape());
    }
}
