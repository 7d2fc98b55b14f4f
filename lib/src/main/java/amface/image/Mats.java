package amface.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Conversions between {@link RgbImage} (RGB, Java heap) and OpenCV {@link Mat} (BGR, native memory).
 * Mats returned here are owned by the caller: close them (try-with-resources) to free native memory promptly.
 */
public final class Mats {
    private Mats() { }

    /** A new 8-bit 3-channel BGR Mat with the pixels of {@code img}. */
    public static Mat toBgrMat(RgbImage img) {
        byte[] src = img.rgb();
        byte[] bgr = new byte[src.length];
        for (int i = 0; i < src.length; i += 3) {
            bgr[i] = src[i + 2];
            bgr[i + 1] = src[i + 1];
            bgr[i + 2] = src[i];
        }
        Mat mat = new Mat(img.height(), img.width(), CV_8UC3);
        mat.data().put(bgr);
        return mat;
    }

    /** An {@link RgbImage} from an 8-bit Mat with 1 (grey), 3 (BGR) or 4 (BGRA, alpha dropped) channels. */
    public static RgbImage toRgbImage(Mat mat) {
        if (mat.empty()) throw new IllegalArgumentException("empty Mat");
        if (mat.depth() != CV_8U) throw new IllegalArgumentException("8-bit Mats only, got depth " + mat.depth());
        int channels = mat.channels();
        if (channels != 1 && channels != 3 && channels != 4) throw new IllegalArgumentException("1, 3 or 4 channels expected, got " + channels);
        if (mat.dims() != 2) throw new IllegalArgumentException("a 2-D Mat expected, got " + mat.dims() + " dimensions");
        int w = mat.cols();
        int h = mat.rows();
        byte[] src = new byte[w * h * channels];
        if (mat.isContinuous()) {
            mat.data().get(src);
        } else {
            try (Mat copy = mat.clone()) {
                copy.data().get(src);
            }
        }
        byte[] rgb = new byte[w * h * 3];
        if (channels == 1) {
            for (int i = 0, j = 0; i < src.length; i++, j += 3) {
                rgb[j] = rgb[j + 1] = rgb[j + 2] = src[i];
            }
        } else {
            for (int i = 0, j = 0; j < rgb.length; i += channels, j += 3) {
                rgb[j] = src[i + 2];
                rgb[j + 1] = src[i + 1];
                rgb[j + 2] = src[i];
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
