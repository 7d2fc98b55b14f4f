package amface.align;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.DoubleBuffer;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import amface.image.RgbImage;

/**
 * Turns an image into an aligned face chip as the reference repository does: detect, pick the face
 * ({@link FaceSelection}), map its five landmarks onto the template with a least-squares similarity transform and
 * warp (bilinear, black outside the image); with no face, a centre crop (6.25 % in from each side, plus a 44-pixel
 * margin) resized to the chip size. Thread-safe when the detector is.
 *
 * <pre>{@code
 * FaceAligner aligner = new FaceAligner(mtcnn, AlignTemplate.SIZE_112x96);
 * AlignedFace a = aligner.align(image);   // a.chip() is 96 wide, 112 high
 * }</pre>
 */
public final class FaceAligner {
    private static final int FALLBACK_MARGIN = 44;

    private final FaceDetector detector;
    private final AlignTemplate template;

    public FaceAligner(FaceDetector detector, AlignTemplate template) {
        this.detector = detector;
        this.template = template;
    }

    public AlignTemplate template() { return template; }

    public FaceDetector detector() { return detector; }

    /** Detects, picks and aligns the face in {@code image}, or falls back to the centre crop. */
    public AlignedFace align(RgbImage image) {
        List<Face> faces = detector.detect(image);
        int pick = FaceSelection.pick(faces, image.width(), image.height());
        if (pick < 0 || faces.get(pick).landmarks() == null) {
            return new AlignedFace(centerCrop(image, template), AlignedFace.Status.FALLBACK, null, faces.size());
        }
        Face face = faces.get(pick);
        return new AlignedFace(warp(image, face.landmarks(), template), AlignedFace.Status.ALIGNED, face, faces.size());
    }

    /** The transform from image pixels to chip pixels for these landmarks. */
    public static SimilarityTransform transform(Landmarks landmarks, AlignTemplate template) {
        return SimilarityTransform.estimate(landmarks.points(), template.points());
    }

    /** Warps {@code image} so that {@code landmarks} land on the template points. */
    public static RgbImage warp(RgbImage image, Landmarks landmarks, AlignTemplate template) {
        double[] m = transform(landmarks, template).matrix();
        try (Mat src = RgbMats.toMat(image); Mat dst = new Mat(); Mat matrix = new Mat(2, 3, CV_64F);
             Size size = new Size(template.width(), template.height()); Scalar black = new Scalar(0, 0, 0, 0)) {
            ((DoubleBuffer) matrix.createBuffer()).put(m);
            warpAffine(src, dst, matrix, size, INTER_LINEAR, BORDER_CONSTANT, black);
            return RgbMats.toImage(dst);
        }
    }

    /** The reference's no-face fallback: the centre 87.5 % of the image plus a margin, resized (bilinear) to the chip. */
    public static RgbImage centerCrop(RgbImage image, AlignTemplate template) {
        int w = image.width(), h = image.height();
        int x1 = (int) (w * 0.0625), y1 = (int) (h * 0.0625);
        int x2 = w - x1, y2 = h - y1;
        int bx1 = (int) Math.max(x1 - FALLBACK_MARGIN / 2.0, 0);
        int by1 = (int) Math.max(y1 - FALLBACK_MARGIN / 2.0, 0);
        int bx2 = (int) Math.min(x2 + FALLBACK_MARGIN / 2.0, w);
        int by2 = (int) Math.min(y2 + FALLBACK_MARGIN / 2.0, h);
        try (Mat src = RgbMats.toMat(image); Rect r = new Rect(bx1, by1, bx2 - bx1, by2 - by1); Mat crop = new Mat(src, r);
             Mat dst = new Mat(); Size size = new Size(template.width(), template.height())) {
            resize(crop, dst, size, 0, 0, INTER_LINEAR);
            return RgbMats.toImage(dst);
        }
    }
}
