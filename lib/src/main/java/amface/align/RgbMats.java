package amface.align;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import amface.image.RgbImage;

/** Copies between {@link RgbImage} and OpenCV 8-bit three-channel {@link Mat}s (channel order kept: R, G, B). */
final class RgbMats {
    private RgbMats() { }

    static Mat toMat(RgbImage image) {
        Mat m = new Mat(image.height(), image.width(), CV_8UC3);
        m.data().put(image.rgb());
        return m;
    }

    static RgbImage toImage(Mat m) {
        if (m.type() != CV_8UC3) throw new IllegalArgumentException("expected an 8-bit 3-channel Mat, got type " + m.type());
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] rgb = new byte[c.rows() * c.cols() * 3];
        BytePointer p = c.data();
        p.get(rgb);
        return new RgbImage(c.cols(), c.rows(), rgb);
    }
}
