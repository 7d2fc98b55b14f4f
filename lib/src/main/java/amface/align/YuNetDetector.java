package amface.align;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_java;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Scalar;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.FaceDetectorYN;

import amface.image.RgbImage;

/**
 * YuNet (Wu et al., libfacedetection) through OpenCV's {@code FaceDetectorYN}: a small single-shot detector,
 * much faster than MTCNN on large images, giving a box, a score and the same five landmarks. OpenCV 4.5.5 runs
 * only the fixed 320x320 model (its DNN importer rejects the dynamic one), so each image is scaled to fit
 * 320x320 (padded with black) and the results are scaled back: faces smaller than about 10 pixels at that
 * scale are missed. Each thread gets its own OpenCV detector (they hold state).
 */
public final class YuNetDetector implements FaceDetector {
    static {
        Loader.load(opencv_java.class);
    }

    private static final int SIDE = 320;

    private final Path model;
    private final float scoreThreshold;
    private final float nmsThreshold;
    private final ThreadLocal<FaceDetectorYN> detectors;

    /**
     * @param model the ONNX YuNet model with a 320x320 input
     * @param scoreThreshold faces scoring below are dropped (OpenCV's default 0.9)
     */
    public YuNetDetector(Path model, double scoreThreshold) {
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException("no YuNet model at " + model);
        this.model = model;
        this.scoreThreshold = (float) scoreThreshold;
        this.nmsThreshold = 0.3f;
        this.detectors = ThreadLocal.withInitial(() -> FaceDetectorYN.create(this.model.toString(), "", new Size(SIDE, SIDE), this.scoreThreshold, nmsThreshold, 5000));
    }

    @Override
    public String name() {
        return "yunet";
    }

    @Override
    public List<Face> detect(RgbImage image) {
        int w = image.width(), h = image.height();
        byte[] bgr = new byte[image.rgb().length];
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Mat img = new Mat(h, w, CvType.CV_8UC3);
        Mat small = new Mat();
        Mat padded = new Mat();
        Mat out = new Mat();
        try {
            img.put(0, 0, bgr);
            double scale = (double) SIDE / Math.max(w, h);
            int sw = Math.max(1, Math.min(SIDE, (int) Math.round(w * scale)));
            int sh = Math.max(1, Math.min(SIDE, (int) Math.round(h * scale)));
            Imgproc.resize(img, small, new Size(sw, sh), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            Core.copyMakeBorder(small, padded, 0, SIDE - sh, 0, SIDE - sw, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            double back = 1 / scale;
            FaceDetectorYN d = detectors.get();
            d.detect(padded, out);
            List<Face> faces = new ArrayList<>();
            float[] row = new float[15];
            for (int r = 0; r < out.rows(); r++) {
                out.get(r, 0, row);
                // Columns: x, y, w, h, then (x, y) of the right eye, left eye, nose tip, right and left mouth
                // corner from the person's view, i.e. image-left first as MTCNN orders them, then the score.
                double[] xs = new double[5], ys = new double[5];
                for (int k = 0; k < 5; k++) {
                    xs[k] = row[4 + 2 * k] * back;
                    ys[k] = row[5 + 2 * k] * back;
                }
                // The score: with these 2022 models OpenCV 4.5.5 reports values above 1 too, so it ranks, it is no probability.
                faces.add(new Face(row[0] * back, row[1] * back, (row[0] + row[2]) * back, (row[1] + row[3]) * back, row[14], new Landmarks(xs, ys)));
            }
            faces.sort(Comparator.comparingDouble(Face::score).reversed());
            return faces;
        } finally {
            img.release();
            small.release();
            padded.release();
            out.release();
        }
    }
}
