package amface.onnx;

/**
 * Where a value of a [C, H, W] feature map lands when flattened: ONNX (NCHW) flattens channel-major, amface's DL4J
 * graphs (NHWC, {@code CnnToFeedForwardPreProcessor}) pixel-major. The FC weights after the flatten are permuted
 * with this on export and on import.
 */
final class NhwcFlatten {
    private NhwcFlatten() { }

    /** For each NCHW flatten position {@code (ch * h + y) * w + x}, its NHWC flatten position {@code (y * w + x) * c + ch}. */
    static int[] nhwcIndexOfNchw(int c, int h, int w) {
        int[] index = new int[c * h * w];
        for (int ch = 0, j = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++, j++) index[j] = (y * w + x) * c + ch;
            }
        }
        return index;
    }
}
