package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The direct oneDNN 2.5 convolutions (JavaCPP presets) against libnd4j's {@code conv2d}/{@code conv2d_bp} (its own
 * bundled oneDNN 2.3) evaluated in double precision, in one JVM: forward, input gradient and weight gradient, on
 * views with offsets, direct to 1e-5 and Winograd to {@link #WINOGRAD_TOLERANCE} (relative to the largest value).
 */
class OneDnnConvolutionTest {
    /** Winograd F(4x4, 3x3) in float: measured ~2e-6 relative here; 2e-5 holds with margin. */
    static final double WINOGRAD_TOLERANCE = 2e-5;

    @BeforeAll
    static void loads() {
        assertTrue(OneDnn.available(), String.valueOf(OneDnn.problem()));
    }

    @Test
    void bindsItsOwnOneDnn() {
        // libnd4jcpu.so exports oneDNN 2.3's dnnl_* symbols; the presets' calls must reach their own 2.5
        assertEquals("2.5.2", OneDnn.version());
    }

    private static double relativeError(INDArray expected, INDArray actual) {
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }

    /** A float view with an offset into a larger buffer, as gradient and parameter views are. */
    private static INDArray offsetView(long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        INDArray big = Nd4j.create(DataType.FLOAT, n + 7);
        return big.get(NDArrayIndex.interval(7, n + 7)).reshape(shape);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, {3}->{4}, k{5} s{6}")
    @CsvSource({
        "2, 9, 8, 3, 5, 3, 2",     // odd sizes, 3 input channels (the stem), stride 2
        "2, 7, 6, 16, 32, 3, 1",   // 16-channel multiples: Winograd
        "2, 7, 6, 8, 24, 3, 1",    // 8 input channels: direct
        "3, 10, 9, 16, 16, 1, 2",  // 1x1 projection, stride 2
        "2, 28, 24, 16, 32, 3, 1", // Winograd on several 4x4 tiles
    })
    void matchesLibnd4jInDouble(int n, int h, int w, int in, int out, int k, int stride) {
        Nd4j.getRandom().setSeed(h * 31L + in);
        int pad = k / 2;
        OneDnnConvolution conv = new OneDnnConvolution(k, stride, pad);
        INDArray x = offsetView(n, h, w, in).assign(Nd4j.randn(DataType.FLOAT, n, h, w, in));
        INDArray wt = offsetView(out, in, k, k).assign(Nd4j.randn(DataType.FLOAT, out, in, k, k).muli(0.2));
        long oh = (h + 2L * pad - k) / stride + 1, ow = (w + 2L * pad - k) / stride + 1;
        INDArray gy = Nd4j.randn(DataType.FLOAT, n, oh, ow, out);
        assertTrue(OneDnn.usable(x, wt, gy));

        INDArray xd = x.castTo(DataType.DOUBLE), wd = wt.castTo(DataType.DOUBLE), gyd = gy.castTo(DataType.DOUBLE);
        INDArray yRef = Nd4j.create(DataType.DOUBLE, n, oh, ow, out);
        NativeOps.conv2d(xd, wd, null, yRef, k, stride, pad);
        INDArray gxRef = xd.ulike(), gwRef = wd.ulike();
        NativeOps.conv2dBackprop(xd, wd, null, gyd, gxRef, gwRef, null, k, stride, pad);

        double tol = conv.winograd(h, w, in, out) ? WINOGRAD_TOLERANCE : 1e-5;
        for (int round = 0; round < 2; round++) { // the second round reuses the cached primitives
            INDArray y = offsetView(n, oh, ow, out);
            conv.forward(x, wt, null, y, true);
            INDArray gx = offsetView(n, h, w, in), gw = offsetView(out, in, k, k);
            conv.backward(x, wt, gy, gx, gw);
            System.out.printf("%dx%dx%d %d->%d k%d s%d %s: relative error forward %.1e, input gradient %.1e, weight gradient %.1e%n",
                n, h, w, in, out, k, stride, conv.winograd(h, w, in, out) ? "winograd" : "direct", relativeError(yRef, y),
                relativeError(gxRef, gx), relativeError(gwRef, gw));
            assertTrue(relativeError(yRef, y) < tol, "forward: " + relativeError(yRef, y) + "\n" + conv.describe());
            assertTrue(relativeError(gxRef, gx) < tol, "input gradient: " + relativeError(gxRef, gx));
            assertTrue(relativeError(gwRef, gw) < tol, "weight gradient: " + relativeError(gwRef, gw));
        }
        // inference primitives with a bias
        INDArray bias = Nd4j.randn(DataType.FLOAT, out);
        INDArray y = offsetView(n, oh, ow, out);
        conv.forward(x, wt, bias, y, false);
        INDArray yb = yRef.reshape(-1, out).addRowVector(bias.castTo(DataType.DOUBLE).reshape(1, out)).reshape(y.shape());
        assertTrue(relativeError(yb, y) < tol, "forward with bias: " + relativeError(yb, y));
    }

    @ParameterizedTest
    @CsvSource({"-7, 3", "5, 1"})
    void inferenceReordersWeightsOnlyForANewVersion(long version, int stride) {
        OneDnnConvolution conv = new OneDnnConvolution(3, stride, 1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 8, 8, 16), w = Nd4j.randn(DataType.FLOAT, 16, 16, 3, 3);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 16);
        long o = (8 + 2 - 3) / stride + 1;
        INDArray y1 = Nd4j.create(DataType.FLOAT, 2, o, o, 16), y2 = y1.ulike(), y3 = y1.ulike();
        conv.forwardInference(x, () -> w, version, b, y1);
        INDArray wOld = w.dup();
        w.muli(2); // same version: the primitive keeps the weights it reordered
        conv.forwardInference(x, () -> w, version, b, y2);
        conv.forwardInference(x, () -> w, version + 1, b, y3);
        assertEquals(0, relativeError(y1, y2), 0, "same version, same weights");
        assertTrue(relativeError(y1.mul(2), y3) < 1e-5, "new version: the doubled weights");
        assertEquals(wOld.mul(2), w);
    }

    @Test
    void usesWinogradWhereMeasuredFaster() {
        OneDnnConvolution c3 = new OneDnnConvolution(3, 1, 1);
        assertTrue(c3.winograd(28, 24, 128, 128));
        assertTrue(c3.winograd(7, 6, 512, 512));
        assertTrue(!new OneDnnConvolution(3, 2, 1).winograd(56, 48, 64, 128));
        assertTrue(!new OneDnnConvolution(1, 1, 0).winograd(14, 12, 256, 256));
        assertTrue(!c3.winograd(112, 96, 3, 64));
    }
}
