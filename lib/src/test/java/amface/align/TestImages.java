package amface.align;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.nio.file.Path;

import org.bytedeco.opencv.opencv_core.Mat;

import amface.image.RgbImage;

/** Test photos as RGB images, decoded by OpenCV (the same decoder the Python reference uses). */
final class TestImages {
    private TestImages() { }

    static RgbImage read(Path file) {
        try (Mat bgr = imread(file.toString(), IMREAD_COLOR); Mat rgb = new Mat()) {
            if (bgr.empty()) throw new IllegalArgumentException("cannot decode " + file);
            cvtColor(bgr, rgb, COLOR_BGR2RGB);
            return RgbMats.toImage(rgb);
        }
    }
}
