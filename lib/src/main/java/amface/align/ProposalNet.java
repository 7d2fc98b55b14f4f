package amface.align;

import java.io.IOException;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MTCNN's P-Net: a fully convolutional 12x12 face/non-face classifier with box regression, run over a whole
 * pyramid level. Input {@code [N, 3, H, W]} scaled to [-1, 1]; output maps of size {@code ceil((H-2)/2) - 4}.
 */
public final class ProposalNet {
    /** {@code probability}: {@code [N, 2, h, w]} softmax (channel 1 = face); {@code regression}: {@code [N, 4, h, w]}. */
    public record Output(INDArray probability, INDArray regression) { }

    private final MtcnnOps.Conv conv1, conv2, conv3, conv41, conv42;
    private final MtcnnOps.PRelu prelu1, prelu2, prelu3;

    private ProposalNet(MtcnnWeights w) throws IOException {
        conv1 = MtcnnOps.conv(w, "conv1", 3, 3, 10);
        prelu1 = MtcnnOps.prelu(w, "PReLU1", 10);
        conv2 = MtcnnOps.conv(w, "conv2", 3, 10, 16);
        prelu2 = MtcnnOps.prelu(w, "PReLU2", 16);
        conv3 = MtcnnOps.conv(w, "conv3", 3, 16, 32);
        prelu3 = MtcnnOps.prelu(w, "PReLU3", 32);
        conv41 = MtcnnOps.conv(w, "conv4-1", 1, 32, 2);
        conv42 = MtcnnOps.conv(w, "conv4-2", 1, 32, 4);
    }

    /** Loads facenet's {@code det1.npy}. */
    public static ProposalNet load(Path det1) throws IOException {
        return new ProposalNet(MtcnnWeights.load(det1));
    }

    public Output forward(INDArray x) {
        INDArray h = prelu1.apply(conv1.apply(x));
        h = MtcnnOps.maxPool(h, 2, 2, true);
        h = prelu2.apply(conv2.apply(h));
        h = prelu3.apply(conv3.apply(h));
        return new Output(MtcnnOps.softmax(conv41.apply(h)), conv42.apply(h));
    }
}
