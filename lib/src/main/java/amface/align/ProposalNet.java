package amface.align;

import java.io.IOException;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;

import amface.nn.layers.OneDnnChain;

/**
 * MTCNN's P-Net: a fully convolutional 12x12 face/non-face classifier with box regression, run over a whole
 * pyramid level. Input {@code [N, 3, H, W]} scaled to [-1, 1]; output maps of size {@code ceil((H-2)/2) - 4}.
 */
public final class ProposalNet {
    /**
     * For {@code n} images, maps of {@code height x width} cells: {@code probability} {@code [n, 2, h, w]} softmax
     * (channel 1 = face), {@code regression} {@code [n, 4, h, w]}, both flat in C order.
     */
    public record Output(int n, int height, int width, float[] probability, float[] regression) { }

    private final MtcnnOps.Conv conv1, conv2, conv3, conv4;
    private final MtcnnOps.PRelu prelu1, prelu2, prelu3;
    /** The same layers as one oneDNN chain, or null where the ND4J ops run. */
    private final OneDnnChain chain;

    private ProposalNet(MtcnnWeights w) throws IOException {
        conv1 = MtcnnOps.conv(w, "conv1", 3, 3, 10);
        prelu1 = MtcnnOps.prelu(w, "PReLU1", 10);
        conv2 = MtcnnOps.conv(w, "conv2", 3, 10, 16);
        prelu2 = MtcnnOps.prelu(w, "PReLU2", 16);
        conv3 = MtcnnOps.conv(w, "conv3", 3, 16, 32);
        prelu3 = MtcnnOps.prelu(w, "PReLU3", 32);
        // Both 1x1 heads as one convolution: channels 0-1 face logits, 2-5 box regression.
        conv4 = MtcnnOps.mergedConv1x1(w, 32, new String[] {"conv4-1", "conv4-2"}, new int[] {2, 4});
        if (MtcnnOps.chains()) {
            // a plan per pyramid level: LFW-size images have 8 (about 6 MB in all)
            OneDnnChain.Builder b = OneDnnChain.builder(3);
            conv1.appendTo(b);
            prelu1.appendTo(b);
            b.maxPool(2, 2, true);
            conv2.appendTo(b);
            prelu2.appendTo(b);
            conv3.appendTo(b);
            prelu3.appendTo(b);
            conv4.appendTo(b);
            chain = b.build();
        } else {
            chain = null;
        }
    }

    /** Loads facenet's {@code det1.npy}. */
    public static ProposalNet load(Path det1) throws IOException {
        return new ProposalNet(MtcnnWeights.load(det1));
    }

    /** P-Net on NCHW input {@code [n, 3, h, w]}. */
    public Output forward(INDArray x) {
        if (chain != null) return forward(MtcnnOps.nhwc(x), (int) x.size(0), (int) x.size(2), (int) x.size(3));
        return heads(layers(x));
    }

    /** P-Net on NHWC input {@code [n, h, w, 3]} in C order. */
    public Output forward(float[] nhwc, int n, int h, int w) {
        if (chain == null) return heads(layers(MtcnnOps.nchw(nhwc, n, h, w, 3)));
        OneDnnChain.Output y = chain.forward(nhwc, n, h, w);
        return heads(y.values(), n, (int) y.dims()[2], (int) y.dims()[3]);
    }

    private INDArray layers(INDArray x) {
        INDArray h = prelu1.apply(conv1.apply(x));
        h = MtcnnOps.maxPool(h, 2, 2, true);
        h = prelu2.apply(conv2.apply(h));
        h = prelu3.apply(conv3.apply(h));
        return conv4.apply(h);
    }

    private static Output heads(INDArray heads) {
        return heads(MtcnnOps.floats(heads), (int) heads.size(0), (int) heads.size(2), (int) heads.size(3));
    }

    /** Splits the six NCHW head channels: face logits (softmaxed) and box regression. */
    private static Output heads(float[] all, int n, int oh, int ow) {
        int plane = oh * ow;
        float[] logits = new float[n * 2 * plane];
        float[] reg = new float[n * 4 * plane];
        for (int k = 0; k < n; k++) {
            System.arraycopy(all, k * 6 * plane, logits, k * 2 * plane, 2 * plane);
            System.arraycopy(all, (k * 6 + 2) * plane, reg, k * 4 * plane, 4 * plane);
        }
        return new Output(n, oh, ow, MtcnnOps.softmax2(logits, n, plane), reg);
    }
}
