package amface.align;

import java.io.IOException;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;

import amface.nn.layers.OneDnnChain;

/** MTCNN's R-Net: rescores and regresses 24x24 candidate crops. Input {@code [N, 3, 24, 24]} scaled to [-1, 1]. */
public final class RefineNet {
    /** For {@code n} crops, row-major: {@code probability} {@code [n, 2]} (column 1 = face), {@code regression} {@code [n, 4]}. */
    public record Output(int n, float[] probability, float[] regression) { }

    private final MtcnnOps.Conv conv1, conv2, conv3;
    private final MtcnnOps.PRelu prelu1, prelu2, prelu3, prelu4;
    private final MtcnnOps.Dense conv4, conv5;
    /** The same layers as one oneDNN chain, or null where the ND4J ops run. */
    private final OneDnnChain chain;

    private RefineNet(MtcnnWeights w) throws IOException {
        conv1 = MtcnnOps.conv(w, "conv1", 3, 3, 28);
        prelu1 = MtcnnOps.prelu(w, "prelu1", 28);
        conv2 = MtcnnOps.conv(w, "conv2", 3, 28, 48);
        prelu2 = MtcnnOps.prelu(w, "prelu2", 48);
        conv3 = MtcnnOps.conv(w, "conv3", 2, 48, 64);
        prelu3 = MtcnnOps.prelu(w, "prelu3", 64);
        conv4 = MtcnnOps.denseFromMap(w, "conv4", 3, 64, 128);
        prelu4 = MtcnnOps.prelu(w, "prelu4", 128);
        conv5 = MtcnnOps.mergedDense(w, 128, new String[] {"conv5-1", "conv5-2"}, new int[] {2, 4});
        if (MtcnnOps.chains()) {
            OneDnnChain.Builder b = OneDnnChain.builder(3);
            conv1.appendTo(b);
            prelu1.appendTo(b);
            b.maxPool(3, 2, true);
            conv2.appendTo(b);
            prelu2.appendTo(b);
            b.maxPool(3, 2, false);
            conv3.appendTo(b);
            prelu3.appendTo(b);
            conv4.appendTo(b);
            prelu4.appendTo(b);
            conv5.appendTo(b);
            chain = b.build();
        } else {
            chain = null;
        }
    }

    /** Loads facenet's {@code det2.npy}. */
    public static RefineNet load(Path det2) throws IOException {
        return new RefineNet(MtcnnWeights.load(det2));
    }

    /** R-Net on NCHW input {@code [n, 3, 24, 24]}. */
    public Output forward(INDArray x) {
        if (chain != null) return forward(MtcnnOps.nhwc(x), (int) x.size(0));
        return heads(MtcnnOps.floats(layers(x)), (int) x.size(0));
    }

    /** R-Net on {@code n} NHWC crops {@code [n, 24, 24, 3]} in C order. */
    public Output forward(float[] nhwc, int n) {
        if (chain == null) return heads(MtcnnOps.floats(layers(MtcnnOps.nchw(nhwc, n, 24, 24, 3))), n);
        return heads(MtcnnOps.chunked(chain, nhwc, n, 24, 6), n);
    }

    private INDArray layers(INDArray x) {
        INDArray h = prelu1.apply(conv1.apply(x));
        h = MtcnnOps.maxPool(h, 3, 2, true);
        h = prelu2.apply(conv2.apply(h));
        h = MtcnnOps.maxPool(h, 3, 2, false);
        h = prelu3.apply(conv3.apply(h));
        h = prelu4.apply(conv4.apply(h));
        return conv5.apply(h);
    }

    private static Output heads(float[] heads, int n) {
        return new Output(n, MtcnnOps.softmax2(MtcnnOps.columns(heads, n, 6, 0, 2), n, 1), MtcnnOps.columns(heads, n, 6, 2, 4));
    }
}
