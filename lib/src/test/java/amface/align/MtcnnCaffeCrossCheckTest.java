package amface.align;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromCaffe;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.image.RgbImage;
import amface.testing.TestPaths;

/**
 * The ND4J port of facenet's npy weights against the original Caffe networks run by OpenCV's DNN module, on the
 * same inputs cut from real photos: every output within 1e-4. Caffe sees the images transposed (as MTCNN was
 * trained, in MATLAB's column-major order); the port sees them upright.
 */
class MtcnnCaffeCrossCheckTest {
    private static final double TOL = 1e-4;
    private static Path caffe;
    private static Path npy;
    private static List<RgbImage> photos;

    @BeforeAll
    static void load() {
        npy = TestPaths.sharedData("mtcnn");
        caffe = TestPaths.sharedData("mtcnn/caffe");
        photos = new ArrayList<>();
        for (String p : new String[] {"photos/mtcnn-samples/test1.jpg", "photos/deepface/img1.jpg", "photos/facenet-pytorch/paul_rudd/1.jpg"}) {
            photos.add(TestImages.read(TestPaths.sharedData(p)));
        }
    }

    private static Net caffeNet(int n) {
        return readNetFromCaffe(caffe.resolve("det" + n + ".prototxt").toString(), caffe.resolve("det" + n + ".caffemodel").toString());
    }

    /** {@code [N, 3, H, W]} natural input as floats scaled to [-1, 1]. */
    private static float[] normalized(Mat hwcFloat, int h, int w) {
        float[] hwc = new float[h * w * 3];
        ((FloatBuffer) hwcFloat.createBuffer()).get(hwc);
        float[] chw = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            for (int c = 0; c < 3; c++) chw[c * h * w + i] = (hwc[3 * i + c] - 127.5f) * 0.0078125f;
        }
        return chw;
    }

    /** The same numbers transposed for Caffe: {@code [c][x][y]}. */
    private static float[] transposed(float[] chw, int n, int h, int w) {
        float[] t = new float[chw.length];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < 3; c++) {
                int base = (k * 3 + c) * h * w;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) t[base + x * h + y] = chw[base + y * w + x];
                }
            }
        }
        return t;
    }

    private static Mat blob(float[] data, int... shape) {
        Mat m = new Mat(shape, CV_32F);
        ((FloatBuffer) m.createBuffer()).put(data);
        return m;
    }

    private static float[] values(Mat m) {
        float[] v = new float[(int) m.total()];
        ((FloatBuffer) m.createBuffer()).get(v);
        return v;
    }


    @Test
    void pnetMatchesCaffeOnPyramidLevels() {
        ProposalNet pnet = assertLoads(() -> ProposalNet.load(npy.resolve("det1.npy")));
        Net net = caffeNet(1);
        int checked = 0;
        for (RgbImage photo : photos) {
            for (double scale : new double[] {0.6, 0.3, 0.07}) {
                int hs = (int) Math.ceil(photo.height() * scale);
                int ws = (int) Math.ceil(photo.width() * scale);
                if (Math.min(hs, ws) < 12) continue;
                Mat small = new Mat();
                Mat f = new Mat();
                resize(RgbMats.toMat(photo), small, new Size(ws, hs), 0, 0, INTER_AREA);
                small.convertTo(f, CV_32F);
                float[] chw = normalized(f, hs, ws);
                ProposalNet.Output ours = pnet.forward(Nd4j.create(chw, new long[] {1, 3, hs, ws}, DataType.FLOAT));

                net.setInput(blob(transposed(chw, 1, hs, ws), 1, 3, ws, hs));
                MatVector outs = new MatVector();
                net.forward(outs, new StringVector("prob1", "conv4-2"));
                int oh = ours.height(), ow = ours.width();
                assertArrayEquals(untranspose(values(outs.get(0)), 2, oh, ow), ours.probability(), (float) TOL, "P-Net prob1, scale " + scale);
                assertArrayEquals(untranspose(values(outs.get(1)), 4, oh, ow), ours.regression(), (float) TOL, "P-Net conv4-2, scale " + scale);
                checked++;
            }
        }
        assertTrue(checked >= 6, "checked " + checked + " pyramid levels");
    }

    /** Caffe's {@code [c][x][y]} output back to {@code [c][y][x]}. */
    private static float[] untranspose(float[] t, int channels, int h, int w) {
        assertTrue(t.length == channels * h * w, "Caffe output has " + t.length + " values, expected " + channels * h * w);
        float[] n = new float[t.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) n[(c * h + y) * w + x] = t[(c * w + x) * h + y];
            }
        }
        return n;
    }

    /** Square crops at several places and sizes of each photo, resized by area to {@code size}. */
    private static float[] crops(int size, int[] count) {
        List<float[]> all = new ArrayList<>();
        for (RgbImage photo : photos) {
            Mat rgb = RgbMats.toMat(photo);
            int side = Math.min(photo.width(), photo.height());
            for (double frac : new double[] {0.15, 0.3, 0.6}) {
                int s = (int) (side * frac);
                for (int i = 0; i < 4; i++) {
                    int x = (photo.width() - s) * i / 3;
                    int y = (photo.height() - s) * ((i * 2) % 3) / 2;
                    Mat c = new Mat(rgb, new Rect(x, y, s, s));
                    Mat f = new Mat();
                    Mat r = new Mat();
                    c.convertTo(f, CV_32F);
                    resize(f, r, new Size(size, size), 0, 0, INTER_AREA);
                    all.add(normalized(r, size, size));
                }
            }
        }
        count[0] = all.size();
        float[] batch = new float[all.size() * 3 * size * size];
        for (int i = 0; i < all.size(); i++) System.arraycopy(all.get(i), 0, batch, i * 3 * size * size, 3 * size * size);
        return batch;
    }

    /** Caffe net {@code k}'s named outputs for {@code n} NCHW crops of {@code size}, transposed as Caffe saw them. */
    private static MatVector caffeCrops(int k, float[] batch, int n, int size, String... outputs) {
        Net net = caffeNet(k);
        net.setInput(blob(transposed(batch, n, size, size), n, 3, size, size));
        MatVector outs = new MatVector();
        net.forward(outs, new StringVector(outputs));
        return outs;
    }

    @Test
    void rnetMatchesCaffeOnABatchOfCrops() {
        RefineNet rnet = assertLoads(() -> RefineNet.load(npy.resolve("det2.npy")));
        int[] n = new int[1];
        float[] batch = crops(24, n);
        RefineNet.Output ours = rnet.forward(Nd4j.create(batch, new long[] {n[0], 3, 24, 24}, DataType.FLOAT));
        MatVector outs = caffeCrops(2, batch, n[0], 24, "prob1", "conv5-2");
        assertArrayEquals(values(outs.get(0)), ours.probability(), (float) TOL, "R-Net prob1");
        assertArrayEquals(values(outs.get(1)), ours.regression(), (float) TOL, "R-Net conv5-2");
    }

    @Test
    void onetMatchesCaffeOnABatchOfCrops() {
        OutputNet onet = assertLoads(() -> OutputNet.load(npy.resolve("det3.npy")));
        int[] n = new int[1];
        float[] batch = crops(48, n);
        OutputNet.Output ours = onet.forward(Nd4j.create(batch, new long[] {n[0], 3, 48, 48}, DataType.FLOAT));
        MatVector outs = caffeCrops(3, batch, n[0], 48, "prob1", "conv6-2", "conv6-3");
        assertArrayEquals(values(outs.get(0)), ours.probability(), (float) TOL, "O-Net prob1");
        assertArrayEquals(values(outs.get(1)), ours.regression(), (float) TOL, "O-Net conv6-2");
        assertArrayEquals(values(outs.get(2)), ours.landmarks(), (float) TOL, "O-Net conv6-3 (landmarks)");
    }

    interface Loader<T> { T load() throws Exception; }

    private static <T> T assertLoads(Loader<T> l) {
        try {
            return l.load();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
