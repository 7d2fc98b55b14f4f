package amface.align;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What R-Net and O-Net share: a net over square crops of one size that gives one row of {@code width} head outputs
 * per crop, face logits first, from NCHW arrays or NHWC buffers; each net splits the rows into its own output.
 */
abstract class CropNet<O> {
    private final int side;
    private final int width;
    private final MtcnnNet net;

    CropNet(int side, int width, MtcnnNet net) {
        this.side = side;
        this.width = width;
        this.net = net;
    }

    /** The net on NCHW input {@code [n, 3, side, side]} scaled to [-1, 1]. */
    public O forward(INDArray x) {
        return heads(net.rows(x, width), (int) x.size(0));
    }

    /** The net on {@code n} NHWC crops {@code [n, side, side, 3]} in C order. */
    public O forward(float[] nhwc, int n) {
        return heads(net.rows(nhwc, n, side, width), n);
    }

    /** The net's output from the {@code [n, width]} rows. */
    abstract O heads(float[] rows, int n);

    /** {@code [n, 2]}: the softmax of columns 0-1 (column 1 = face). */
    final float[] probability(float[] rows, int n) {
        return MtcnnOps.softmax2(columns(rows, n, 0, 2), n, 1);
    }

    /** {@code [n, count]}: columns {@code from .. from + count - 1}. */
    final float[] columns(float[] rows, int n, int from, int count) {
        return MtcnnOps.columns(rows, n, width, from, count);
    }
}
