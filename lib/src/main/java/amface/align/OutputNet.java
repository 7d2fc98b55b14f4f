package amface.align;

import java.io.IOException;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;

import amface.nn.layers.OneDnnChain;

/**
 * MTCNN's O-Net: final score, box regression and five landmarks for 48x48 crops. Input {@code [N, 3, 48, 48]}
 * scaled to [-1, 1].
 */
public final class OutputNet {
    /**
     * For {@code n} crops, row-major: {@code probability} {@code [n, 2]}; {@code regression} {@code [n, 4]};
     * {@code landmarks} {@code [n, 10]}, five x then five y, as fractions of the crop (left eye, right eye, nose,
     * left and right mouth corner).
     */
    public record Output(int n, float[] probability, float[] regression, float[] landmarks) { }

    private final MtcnnOps.Conv conv1, conv2, conv3, conv4;
    private final MtcnnOps.PRelu prelu1, prelu2, prelu3, prelu4, prelu5;
    private final MtcnnOps.Dense conv5, conv6;
    /** The same layers as one oneDNN chain, or null where the ND4J ops run. */
    private final OneDnnChain chain;

    private OutputNet(MtcnnWeights w) throws IOException {
        conv1 = MtcnnOps.conv(w, "conv1", 3, 3, 32);
        prelu1 = MtcnnOps.prelu(w, "prelu1", 32);
        conv2 = MtcnnOps.conv(w, "conv2", 3, 32, 64);
        prelu2 = MtcnnOps.prelu(w, "prelu2", 64);
        conv3 = MtcnnOps.conv(w, "conv3", 3, 64, 64);
        prelu3 = MtcnnOps.prelu(w, "prelu3", 64);
        conv4 = MtcnnOps.conv(w, "conv4", 2, 64, 128);
        prelu4 = MtcnnOps.prelu(w, "prelu4", 128);
        conv5 = MtcnnOps.denseFromMap(w, "conv5", 3, 128, 256);
        prelu5 = MtcnnOps.prelu(w, "prelu5", 256);
        conv6 = MtcnnOps.mergedDense(w, 256, new String[] {"conv6-1", "conv6-2", "conv6-3"}, new int[] {2, 4, 10});
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
            b.maxPool(2, 2, true);
            conv4.appendTo(b);
            prelu4.appendTo(b);
            conv5.appendTo(b);
            prelu5.appendTo(b);
            conv6.appendTo(b);
            chain = b.build();
        } else {
            chain = null;
        }
    }

    /** Loads facenet's {@code det3.npy}. */
    public static OutputNet load(Path det3) throws IOException {
        return new OutputNet(MtcnnWeights.load(det3));
    }

    /** O-Net on NCHW input {@code [n, 3, 48, 48]}. */
    public Output forward(INDArray x) {
        if (chain != null) return forward(MtcnnOps.nhwc(x), (int) x.size(0));
        return heads(MtcnnOps.floats(layers(x)), (int) x.size(0));
    }

    /** O-Net on {@code n} NHWC crops {@code [n, 48, 48, 3]} in C order. */
    public Output forward(float[] nhwc, int n) {
        if (chain == null) return heads(MtcnnOps.floats(layers(MtcnnOps.nchw(nhwc, n, 48, 48, 3))), n);
        return heads(MtcnnOps.chunked(chain, nhwc, n, 48, 16), n);
    }

    private INDArray layers(INDArray x) {
        INDArray h = prelu1.apply(conv1.apply(x));
        h = MtcnnOps.maxPool(h, 3, 2, true);
        h = prelu2.apply(conv2.apply(h));
        h = MtcnnOps.maxPool(h, 3, 2, false);
        h = prelu3.apply(conv3.apply(h));
        h = MtcnnOps.maxPool(h, 2, 2, true);
        h = prelu4.apply(conv4.apply(h));
        h = prelu5.apply(conv5.apply(h));
        return conv6.apply(h);
    }

    private static Output heads(float[] heads, int n) {
        return new Output(n, MtcnnOps.softmax2(MtcnnOps.columns(heads, n, 16, 0, 2), n, 1),
            MtcnnOps.columns(heads, n, 16, 2, 4), MtcnnOps.columns(heads, n, 16, 6, 10));
    }
}
