package amface.image;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Geometric transforms of an {@link RgbImage}; each returns a new image and leaves its input unchanged. */
public final class ImageTransforms {
    private ImageTransforms() { }

    /**
     * {@code img} scaled to {@code width x height}: area averaging when shrinking (no aliasing), bilinear when
     * enlarging, as OpenCV does them.
     */
    public static RgbImage resize(RgbImage img, int width, int height) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("resize to " + width + "x" + height + ": size must be positive");
        if (width == img.width() && height == img.height()) return new RgbImage(width, height, img.rgb().clone());
        boolean shrink = width <= img.width() && height <= img.height();
        try (Mat src = Mats.toBgrMat(img); Mat dst = new Mat(); Size size = new Size(width, height)) {
            org.bytedeco.opencv.global.opencv_imgproc.resize(src, dst, size, 0, 0, shrink ? INTER_AREA : INTER_LINEAR);
            return Mats.toRgbImage(dst);
        }
    }

    /** {@code img} mirrored left to right. */
    public static RgbImage flipHorizontal(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3;
                int d = row + (w - 1 - x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(w, h, dst);
    }

    /** The {@code width x height} rectangle of {@code img} whose top-left pixel is (x, y); it must lie inside the image. */
    public static RgbImage crop(RgbImage img, int x, int y, int width, int height) {
        if (width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > img.width() || y + height > img.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " at (" + x + "," + y + ") does not fit in a "
                + img.width() + "x" + img.height() + " image");
        }
        byte[] src = img.rgb();
        byte[] dst = new byte[width * height * 3];
        for (int row = 0; row < height; row++) {
            System.arraycopy(src, ((y + row) * img.width() + x) * 3, dst, row * width * 3, width * 3);
        }
        return new RgbImage(width, height, dst);
    }
}
