package amface.align;

import java.io.IOException;
import java.nio.file.Path;

/** MTCNN's R-Net: rescores and regresses 24x24 candidate crops. Input {@code [N, 3, 24, 24]} scaled to [-1, 1]. */
public final class RefineNet extends CropNet<RefineNet.Output> {
    /** For {@code n} crops, row-major: {@code probability} {@code [n, 2]} (column 1 = face), {@code regression} {@code [n, 4]}. */
    public record Output(int n, float[] probability, float[] regression) { }

    private RefineNet(MtcnnWeights w) throws IOException {
        super(24, 6, new MtcnnNet(
            MtcnnOps.conv(w, "conv1", 3, 3, 28), MtcnnOps.prelu(w, "prelu1", 28), MtcnnOps.maxPool(3, 2, true),
            MtcnnOps.conv(w, "conv2", 3, 28, 48), MtcnnOps.prelu(w, "prelu2", 48), MtcnnOps.maxPool(3, 2, false),
            MtcnnOps.conv(w, "conv3", 2, 48, 64), MtcnnOps.prelu(w, "prelu3", 64),
            MtcnnOps.denseFromMap(w, "conv4", 3, 64, 128), MtcnnOps.prelu(w, "prelu4", 128),
            // both heads as one dense layer: 2 face logits, 4 box regressions
            MtcnnOps.mergedDense(w, 128, new String[] {"conv5-1", "conv5-2"}, new int[] {2, 4})));
    }

    /** Loads facenet's {@code det2.npy}. */
    public static RefineNet load(Path det2) throws IOException {
        return new RefineNet(MtcnnWeights.load(det2));
    }

    @Override
    Output heads(float[] rows, int n) {
        return new Output(n, probability(rows, n), columns(rows, n, 2, 4));
    }
}
