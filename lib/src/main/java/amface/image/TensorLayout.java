package amface.image;

/** Memory order of a batch of images as a 4-D tensor. */
public enum TensorLayout {
    /** [n, channels, height, width]: DL4J's default for convolutions. */
    NCHW,
    /** [n, height, width, channels]: the order an {@link RgbImage} is stored in. */
    NHWC;

    /** The shape of {@code n} RGB images of {@code height x width} in this layout. */
    public long[] shape(int n, int height, int width) {
        return this == NCHW ? new long[] {n, 3, height, width} : new long[] {n, height, width, 3};
    }
}
