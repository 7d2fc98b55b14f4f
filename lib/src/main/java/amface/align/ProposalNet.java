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

    private final MtcnnNet net;

    private ProposalNet(MtcnnWeights w) throws IOException {
        net = new MtcnnNet(true,
            MtcnnOps.conv(w, "conv1", 3, 3, 10), MtcnnOps.prelu(w, "PReLU1", 10), MtcnnOps.maxPool(2, 2, true),
            MtcnnOps.conv(w, "conv2", 3, 10, 16), MtcnnOps.prelu(w, "PReLU2", 16),
            MtcnnOps.conv(w, "conv3", 3, 16, 32), MtcnnOps.prelu(w, "PReLU3", 32),
            // Both 1x1 heads as one convolution: channels 0-1 face logits, 2-5 box regression.
            MtcnnOps.mergedConv1x1(w, 32, new String[] {"conv4-1", "conv4-2"}, new int[] {2, 4}));
    }

    /** Loads facenet's {@code det1.npy}. */
    public static ProposalNet load(Path det1) throws IOException {
        return new ProposalNet(MtcnnWeights.load(det1));
    }

    /** P-Net on NCHW input {@code [n, 3, h, w]}. */
    public Output forward(INDArray x) {
        return heads(net.maps(x));
    }

    /** P-Net on NHWC input {@code [n, h, w, 3]} in C order. */
    public Output forward(float[] nhwc, int n, int h, int w) {
        return heads(net.maps(nhwc, n, h, w));
    }

    /** Splits the six NCHW head channels: face logits (softmaxed) and box regression. */
    private static Output heads(OneDnnChain.Output maps) {
        float[] all = maps.values();
        int n = (int) maps.dims()[0], oh = (int) maps.dims()[2], ow = (int) maps.dims()[3];
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
