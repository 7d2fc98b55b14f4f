package amface.align;

import java.io.IOException;
import java.nio.file.Path;

/**
 * MTCNN's O-Net: final score, box regression and five landmarks for 48x48 crops. Input {@code [N, 3, 48, 48]}
 * scaled to [-1, 1].
 */
public final class OutputNet extends CropNet<OutputNet.Output> {
    /**
     * For {@code n} crops, row-major: {@code probability} {@code [n, 2]}; {@code regression} {@code [n, 4]};
     * {@code landmarks} {@code [n, 10]}, five x then five y, as fractions of the crop (left eye, right eye, nose,
     * left and right mouth corner).
     */
    public record Output(int n, float[] probability, float[] regression, float[] landmarks) { }

    private OutputNet(MtcnnWeights w) throws IOException {
        super(48, 16, new MtcnnNet(
            MtcnnOps.conv(w, "conv1", 3, 3, 32), MtcnnOps.prelu(w, "prelu1", 32), MtcnnOps.maxPool(3, 2, true),
            MtcnnOps.conv(w, "conv2", 3, 32, 64), MtcnnOps.prelu(w, "prelu2", 64), MtcnnOps.maxPool(3, 2, false),
            MtcnnOps.conv(w, "conv3", 3, 64, 64), MtcnnOps.prelu(w, "prelu3", 64), MtcnnOps.maxPool(2, 2, true),
            MtcnnOps.conv(w, "conv4", 2, 64, 128), MtcnnOps.prelu(w, "prelu4", 128),
            MtcnnOps.denseFromMap(w, "conv5", 3, 128, 256), MtcnnOps.prelu(w, "prelu5", 256),
            // the three heads as one dense layer: 2 face logits, 4 box regressions, 10 landmark coordinates
            MtcnnOps.mergedDense(w, 256, new String[] {"conv6-1", "conv6-2", "conv6-3"}, new int[] {2, 4, 10})));
    }

    /** Loads facenet's {@code det3.npy}. */
    public static OutputNet load(Path det3) throws IOException {
        return new OutputNet(MtcnnWeights.load(det3));
    }

    @Override
    Output heads(float[] rows, int n) {
        return new Output(n, probability(rows, n), columns(rows, n, 2, 4), columns(rows, n, 6, 10));
    }
}
