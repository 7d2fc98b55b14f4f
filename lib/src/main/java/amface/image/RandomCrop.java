package amface.image;

import java.util.random.RandomGenerator;

/**
 * Training augmentation "random clip": pad the image by {@code padding} pixels on every side, then cut out a window
 * of the original size at a uniformly random offset, so the face shifts by up to {@code padding} pixels in x and y
 * while the image keeps its size. The padding is black by default (TensorFlow's crop-or-pad pads with zeros) or a
 * copy of the edge pixels.
 *
 * <p>Provenance: the reference repository's README trains with {@code --random_clip}; the version of its
 * {@code train.py} available to us has no code for that flag, only commented-out {@code tf.random_crop} /
 * {@code resize_image_with_crop_or_pad} lines. Pad-then-random-crop is the usual reading of those; the padding
 * amount is the caller's choice.
 *
 * <p>The random generator is passed in, so a trainer that seeds it reproduces its augmentation exactly.
 */
public final class RandomCrop {
    /** What the padding holds. */
    public enum Fill { BLACK, EDGE }

    private final int padding;
    private final Fill fill;

    /** Black padding of {@code padding} pixels. */
    public RandomCrop(int padding) {
        this(padding, Fill.BLACK);
    }

    public RandomCrop(int padding, Fill fill) {
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        this.padding = padding;
        this.fill = fill;
    }

    public int padding() { return padding; }

    public Fill fill() { return fill; }

    /** Applies a random shift drawn from {@code rng}: two draws, x offset first, each uniform in [0, 2 * padding]. */
    public RgbImage apply(RgbImage img, RandomGenerator rng) {
        int dx = rng.nextInt(2 * padding + 1);
        int dy = rng.nextInt(2 * padding + 1);
        return apply(img, dx, dy);
    }

    /**
     * The window whose top-left corner is at ({@code dx}, {@code dy}) in the padded image, both in [0, 2 * padding]:
     * output pixel (x, y) is input pixel (x + dx - padding, y + dy - padding), or padding where that is outside.
     */
    public RgbImage apply(RgbImage img, int dx, int dy) {
        if (dx < 0 || dy < 0 || dx > 2 * padding || dy > 2 * padding) {
            throw new IllegalArgumentException("offset (" + dx + "," + dy + ") outside [0, " + 2 * padding + "]");
        }
        int w = img.width();
        int h = img.height();
        int sx = dx - padding;
        int sy = dy - padding;
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int yy = y + sy;
            boolean rowInside = yy >= 0 && yy < h;
            if (!rowInside && fill == Fill.BLACK) continue; // already zero
            int srcRow = Math.min(Math.max(yy, 0), h - 1) * w * 3;
            int dstRow = y * w * 3;
            for (int x = 0; x < w; x++) {
                int xx = x + sx;
                boolean inside = xx >= 0 && xx < w;
                if (fill == Fill.BLACK && !inside) continue;
                int s = srcRow + Math.min(Math.max(xx, 0), w - 1) * 3;
                int d = dstRow + x * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(w, h, dst);
    }
}
