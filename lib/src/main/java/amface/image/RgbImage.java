package amface.image;

import java.util.Objects;

/**
 * An 8-bit RGB image in memory: {@code height} rows of {@code width} pixels, each pixel three bytes R, G, B
 * (row-major, interleaved, "HWC"). The common currency between readers, the aligner, the data pipeline and
 * the networks; conversions to OpenCV and to tensors live elsewhere.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    /** Wraps {@code rgb} (not copied) of length {@code width * height * 3}. */
    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, a " + width + "x" + height + " image needs " + (long) width * height * 3);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public int width() { return width; }

    public int height() { return height; }

    /** The backing array (not a copy): R, G, B bytes for each pixel, rows top to bottom. */
    public byte[] rgb() { return rgb; }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
