package amface.align;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import amface.image.RgbImage;

/**
 * MTCNN face detection as facenet's {@code detect_face}: an image pyramid (smallest face {@code minSize} pixels,
 * scale step {@code factor}) scanned by P-Net, non-maximum suppression and box regression, square boxes, then
 * R-Net and O-Net on batched 24x24 and 48x48 crops (zero-padded where a box leaves the image), five landmarks
 * per face. One instance is safe to share between threads.
 *
 * <p>Two details differ from facenet on purpose: when a pyramid level yields exactly one candidate, facenet flips
 * its regression maps upside down (a leftover of the MATLAB port) and this class does not; and boxes of equal
 * score are suppressed in a fixed order where numpy's unstable sort leaves it open. Coordinates follow facenet:
 * boxes in its 1-based inclusive convention, landmarks in 0-based pixels.
 *
 * <pre>{@code
 * FaceDetector mtcnn = MtcnnDetector.builder().weights(Path.of("../shared/data/mtcnn")).minSize(20).build();
 * List<Face> faces = mtcnn.detect(image);
 * }</pre>
 */
public final class MtcnnDetector implements FaceDetector {
    private static final float MEAN = 127.5f;
    private static final float SCALE = 0.0078125f;

    private final ProposalNet pnet;
    private final RefineNet rnet;
    private final OutputNet onet;
    private final double minSize;
    private final double factor;
    private final double[] thresholds;

    private MtcnnDetector(Builder b) throws IOException {
        this.pnet = ProposalNet.load(b.weights.resolve("det1.npy"));
        this.rnet = RefineNet.load(b.weights.resolve("det2.npy"));
        this.onet = OutputNet.load(b.weights.resolve("det3.npy"));
        this.minSize = b.minSize;
        this.factor = b.factor;
        this.thresholds = b.thresholds.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; the defaults are facenet's: min size 20, factor 0.709, thresholds 0.6, 0.7, 0.7. */
    public static final class Builder {
        private Path weights;
        private double minSize = 20;
        private double factor = 0.709;
        private double[] thresholds = {0.6, 0.7, 0.7};

        /** The folder holding {@code det1.npy}, {@code det2.npy}, {@code det3.npy}. */
        public Builder weights(Path folder) { this.weights = folder; return this; }

        /** The smallest face searched for, in pixels (at least 12). */
        public Builder minSize(double pixels) {
            if (!(pixels >= 12)) throw new IllegalArgumentException("min face size must be at least 12 pixels, got " + pixels);
            this.minSize = pixels;
            return this;
        }

        /** The scale step between pyramid levels, in (0, 1). */
        public Builder factor(double factor) {
            if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("pyramid factor must be in (0, 1), got " + factor);
            this.factor = factor;
            return this;
        }

        /** Score thresholds of P-Net, R-Net and O-Net, each in [0, 1]. */
        public Builder thresholds(double pnet, double rnet, double onet) {
            for (double t : new double[] {pnet, rnet, onet}) {
                if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("thresholds must be in [0, 1], got " + t);
            }
            this.thresholds = new double[] {pnet, rnet, onet};
            return this;
        }

        public MtcnnDetector build() {
            if (weights == null) throw new IllegalStateException("weights(folder) is required");
            try {
                return new MtcnnDetector(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String name() {
        return "mtcnn";
    }

    public double minSize() { return minSize; }

    public double factor() { return factor; }

    public double[] thresholds() { return thresholds.clone(); }

    /** The pyramid scales for an image whose shorter side is {@code shortSide} pixels. */
    List<Double> scales(int shortSide) {
        List<Double> scales = new ArrayList<>();
        double m = 12.0 / minSize;
        double minl = shortSide * m;
        int count = 0;
        while (minl >= 12) {
            scales.add(m * Math.pow(factor, count));
            minl *= factor;
            count++;
        }
        return scales;
    }

    @Override
    public List<Face> detect(RgbImage image) {
        // Mats are closed explicitly: a JavaCPP PointerScope here would also free ND4J's native pointers.
        try (Mat rgb = RgbMats.toMat(image)) {
            int w = image.width();
            int h = image.height();
            List<double[]> boxes = proposals(rgb, w, h);
            if (boxes.isEmpty()) return List.of();
            // R-Net and O-Net crop from one float copy of the image (facenet resizes its crops in float)
            try (Mat rgbFloat = new Mat()) {
                rgb.convertTo(rgbFloat, CV_32F);
                boxes = refine(rgbFloat, w, h, boxes);
                if (boxes.isEmpty()) return List.of();
                return output(rgbFloat, w, h, boxes);
            }
        }
    }

    /** Stage 1: P-Net over the pyramid, per-scale NMS 0.5, global NMS 0.7, regression, square, integer boxes. */
    private List<double[]> proposals(Mat rgb, int w, int h) {
        List<double[]> all = new ArrayList<>();
        for (double scale : scales(Math.min(w, h))) {
            int hs = (int) Math.ceil(h * scale);
            int ws = (int) Math.ceil(w * scale);
            byte[] px = new byte[hs * ws * 3];
            try (Mat small = new Mat(); Size size = new Size(ws, hs)) {
                resize(rgb, small, size, 0, 0, INTER_AREA);
                small.data().get(px);
            }
            float[] hwc = new float[px.length];
            for (int i = 0; i < px.length; i++) hwc[i] = ((px[i] & 0xff) - MEAN) * SCALE;
            ProposalNet.Output out = pnet.forward(hwc, 1, hs, ws);
            int oh = out.height();
            int ow = out.width();
            float[] prob = out.probability();
            float[] reg = out.regression();
            int cells = oh * ow;
            List<double[]> level = new ArrayList<>();
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    int i = r * ow + c;
                    double p = prob[cells + i];
                    if (p < thresholds[0]) continue;
                    level.add(new double[] {
                        MtcnnBoxes.fix((2.0 * c + 1) / scale), MtcnnBoxes.fix((2.0 * r + 1) / scale),
                        MtcnnBoxes.fix((2.0 * c + 12) / scale), MtcnnBoxes.fix((2.0 * r + 12) / scale),
                        p, reg[i], reg[cells + i], reg[2 * cells + i], reg[3 * cells + i]});
                }
            }
            all.addAll(MtcnnBoxes.nms(level, 0.5, false));
        }
        List<double[]> kept = MtcnnBoxes.nms(all, 0.7, false);
        for (double[] b : kept) {
            MtcnnBoxes.regressProposal(b);
            MtcnnBoxes.square(b);
            MtcnnBoxes.fix(b);
        }
        return kept;
    }

    /** Stage 2: R-Net on 24x24 crops, threshold, NMS 0.7, regression, square. */
    private List<double[]> refine(Mat rgbFloat, int w, int h, List<double[]> boxes) {
        boxes = boxes.stream().filter(MtcnnDetector::croppable).toList();
        if (boxes.isEmpty()) return boxes;
        RefineNet.Output out = rnet.forward(crops(rgbFloat, w, h, boxes, 24), boxes.size());
        float[] prob = out.probability();
        float[] reg = out.regression();
        List<double[]> pass = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            double score = prob[2 * i + 1];
            if (score > thresholds[1]) {
                double[] b = boxes.get(i);
                pass.add(new double[] {b[0], b[1], b[2], b[3], score, reg[4 * i], reg[4 * i + 1], reg[4 * i + 2], reg[4 * i + 3]});
            }
        }
        List<double[]> kept = MtcnnBoxes.nms(pass, 0.7, false);
        for (double[] b : kept) {
            MtcnnBoxes.regress(b, b[5], b[6], b[7], b[8]);
            MtcnnBoxes.square(b);
        }
        return kept;
    }

    /** Stage 3: O-Net on 48x48 crops of the integer boxes, threshold, landmarks, regression, NMS 0.7 over the smaller box. */
    private List<Face> output(Mat rgbFloat, int w, int h, List<double[]> boxes) {
        List<double[]> fixed = new ArrayList<>();
        for (double[] b : boxes) {
            double[] f = b.clone();
            MtcnnBoxes.fix(f);
            if (croppable(f)) fixed.add(f);
        }
        if (fixed.isEmpty()) return List.of();
        OutputNet.Output out = onet.forward(crops(rgbFloat, w, h, fixed, 48), fixed.size());
        float[] prob = out.probability();
        float[] reg = out.regression();
        float[] marks = out.landmarks();
        List<double[]> pass = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            double score = prob[2 * i + 1];
            if (!(score > thresholds[2])) continue;
            double[] b = fixed.get(i);
            double bw = b[2] - b[0] + 1;
            double bh = b[3] - b[1] + 1;
            // row: box, score, then the five x and five y landmarks in image pixels
            double[] row = new double[15];
            row[0] = b[0]; row[1] = b[1]; row[2] = b[2]; row[3] = b[3]; row[4] = score;
            for (int k = 0; k < 5; k++) {
                row[5 + k] = bw * marks[10 * i + k] + b[0] - 1;
                row[10 + k] = bh * marks[10 * i + 5 + k] + b[1] - 1;
            }
            MtcnnBoxes.regress(row, reg[4 * i], reg[4 * i + 1], reg[4 * i + 2], reg[4 * i + 3]);
            pass.add(row);
        }
        List<Face> faces = new ArrayList<>();
        for (double[] r : MtcnnBoxes.nms(pass, 0.7, true)) {
            double[] xs = java.util.Arrays.copyOfRange(r, 5, 10);
            double[] ys = java.util.Arrays.copyOfRange(r, 10, 15);
            faces.add(new Face(r[0], r[1], r[2], r[3], r[4], new Landmarks(xs, ys)));
        }
        return faces;
    }

    private static boolean croppable(double[] b) {
        return b[2] - b[0] + 1 >= 1 && b[3] - b[1] + 1 >= 1;
    }

    /**
     * The {@code size x size} network input (NHWC) for each integer box: the box's pixels (1-based inclusive
     * coordinates, as facenet's {@code pad}), zeros outside the image, resized by area in float, scaled to [-1, 1].
     */
    private static float[] crops(Mat rgbFloat, int w, int h, List<double[]> boxes, int size) {
        int n = boxes.size();
        float[] nhwc = new float[n * 3 * size * size];
        int plane = size * size;
        float[] hwc = new float[plane * 3];
        try (Mat resized = new Mat(); Size to = new Size(size, size)) {
            for (int k = 0; k < n; k++) {
                double[] b = boxes.get(k);
                int x1 = (int) b[0], y1 = (int) b[1], x2 = (int) b[2], y2 = (int) b[3];
                int tw = x2 - x1 + 1;
                int th = y2 - y1 + 1;
                int sx0 = Math.max(x1 - 1, 0), sy0 = Math.max(y1 - 1, 0);
                int sx1 = Math.min(x2 - 1, w - 1), sy1 = Math.min(y2 - 1, h - 1);
                if (sx0 == x1 - 1 && sy0 == y1 - 1 && sx1 == x2 - 1 && sy1 == y2 - 1) {
                    // inside the image: resize the view itself (resize reads nothing outside it), no padded copy
                    try (Rect r = new Rect(sx0, sy0, tw, th); Mat view = new Mat(rgbFloat, r)) {
                        resize(view, resized, to, 0, 0, INTER_AREA);
                    }
                } else {
                    try (Mat tmp = new Mat(th, tw, CV_32FC3, Scalar.all(0))) {
                        if (sx1 >= sx0 && sy1 >= sy0) {
                            try (Rect src = new Rect(sx0, sy0, sx1 - sx0 + 1, sy1 - sy0 + 1);
                                 Rect dst = new Rect(sx0 - (x1 - 1), sy0 - (y1 - 1), src.width(), src.height());
                                 Mat from = new Mat(rgbFloat, src); Mat into = new Mat(tmp, dst)) {
                                from.copyTo(into);
                            }
                        }
                        resize(tmp, resized, to, 0, 0, INTER_AREA);
                    }
                }
                FloatBuffer fb = resized.createBuffer();
                fb.get(hwc);
                int base = k * 3 * plane;
                for (int i = 0; i < 3 * plane; i++) nhwc[base + i] = (hwc[i] - MEAN) * SCALE;
            }
        }
        return nhwc;
    }
}
