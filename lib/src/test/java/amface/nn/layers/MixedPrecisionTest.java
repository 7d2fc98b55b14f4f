package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * bf16 mixed-precision training layers against fp32. bf16 keeps 8 significant bits (relative rounding 2^-9 ~ 2e-3
 * per operand); a convolution's sum of many such products with mixed signs lands at ~5e-3 of its largest value
 * (measured and printed below: 2e-3 to 4e-3), so each bf16 result must be within {@link #TOLERANCE} = 2e-2 of the largest value
 * of the fp32 (double) reference. Gradient checks stay in double ({@code LayerGradientCheckTest}). Skipped with the
 * reason where oneDNN has no bf16 kernels ({@link Precision#bf16Problem()}).
 */
class MixedPrecisionTest {
    static final double TOLERANCE = 2e-2;
    /**
     * Through a whole graph the differences compound, and a few gradients are sums over few terms that bf16's
     * rounding moves across PReLU's kink (the every-layer graph's first PReLU alpha: 96 terms, 3.5e-2 measured; the
     * channel BN's gamma 1.3e-2): 1e-1 of the largest value, which a wrong layout or a lost gradient (errors of
     * order 1) still fails.
     */
    static final double GRAPH_TOLERANCE = 1e-1;

    @BeforeEach
    void needsBf16() {
        assumeTrue(Precision.bf16Problem() == null, "bf16 needs AVX512-BF16 or AMX: " + Precision.bf16Problem());
    }

    private static double relativeError(INDArray expected, INDArray actual) {
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, {3}->{4}, k{5} s{6}")
    @CsvSource({
        "2, 9, 8, 3, 16, 3, 2",      // the stem: 3 input channels, stride 2
        "2, 14, 12, 32, 32, 3, 1",   // a residual unit's conv (Winograd in fp32)
        "2, 12, 10, 16, 24, 3, 1",   // channels off the 16-block
        "2, 7, 6, 32, 32, 3, 1",     // a small map: bf16 forward, fp32 backward
        "3, 10, 9, 16, 32, 1, 2",    // 1x1 projection, stride 2
    })
    void bf16ConvolutionMatchesDoubleToTheStatedTolerance(int n, int h, int w, int in, int out, int k, int stride) {
        Nd4j.getRandom().setSeed(h * 31L + in);
        int pad = k / 2;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, h, w, in), wt = Nd4j.randn(DataType.FLOAT, out, in, k, k).muli(0.2);
        long oh = (h + 2L * pad - k) / stride + 1, ow = (w + 2L * pad - k) / stride + 1;
        INDArray gy = Nd4j.randn(DataType.FLOAT, n, oh, ow, out);
        INDArray xd = x.castTo(DataType.DOUBLE), wd = wt.castTo(DataType.DOUBLE), gyd = gy.castTo(DataType.DOUBLE);
        INDArray yRef = Nd4j.create(DataType.DOUBLE, n, oh, ow, out);
        NativeOps.conv2d(xd, wd, null, yRef, k, stride, pad);
        INDArray gxRef = xd.ulike(), gwRef = wd.ulike();
        NativeOps.conv2dBackprop(xd, wd, null, gyd, gxRef, gwRef, null, k, stride, pad);

        OneDnnConvolution conv = new OneDnnConvolution(k, stride, pad);
        INDArray y = Nd4j.create(DataType.FLOAT, n, oh, ow, out), gx = x.ulike(), gw = wt.ulike();
        conv.forward(x, wt, null, y, true, true);
        conv.backward(x, wt, gy, gx, gw, true);
        double ey = relativeError(yRef, y), ex = relativeError(gxRef, gx), ew = relativeError(gwRef, gw);
        System.out.printf("bf16 %dx%dx%d %d->%d k%d s%d: relative error forward %.1e, input gradient %.1e, weight gradient %.1e%n%s",
            n, h, w, in, out, k, stride, ey, ex, ew, conv.describe());
        assertTrue(!conv.describe().contains("ref:"), "oneDNN's jitted bf16 kernels ran, not its reference: " + conv.describe());
        assertTrue(ey < TOLERANCE, "forward " + ey);
        assertTrue(ex < TOLERANCE, "input gradient " + ex);
        assertTrue(ew < TOLERANCE, "weight gradient " + ew);
        // and bf16 ran where it should, not fp32 by mistake (fp32 is ~1e-6 from double): the forward always, the
        // backward where OneDnnConvolution measured bf16 faster
        assertTrue(ey > 1e-4, "suspiciously exact for a bf16 forward: " + ey);
        boolean bf16Backward = conv.bf16Backward(oh, ow);
        assertEquals(bf16Backward, Math.max(ex, ew) > 1e-4, (bf16Backward ? "bf16" : "fp32") + " backward: " + ex + ", " + ew);
    }

    /** One training forward + backward of a graph of every amface layer: activations, gradients of every parameter. */
    private static Map<String, INDArray> step(ComputationGraph net, INDArray x, INDArray labels) {
        net.setInputs(x);
        net.setLabels(labels);
        net.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.TreeMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        out.put("score", Nd4j.scalar(net.score()));
        return out;
    }

    @Test
    void trainingLayersInBf16TrackFp32AndTheScopeRestoresFp32() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 7, 6, 3), labels = Nd4j.randn(DataType.FLOAT, 8, 3);
        ComputationGraph net = TinyGraphs.everyLayer(DataType.FLOAT, WorkspaceMode.ENABLED, 11);
        Map<String, INDArray> fp32 = step(net, x, labels);
        Map<String, INDArray> bf16;
        try (MixedPrecision.Scope ignored = MixedPrecision.use(Precision.BF16)) {
            assertEquals(Precision.BF16, MixedPrecision.current());
            bf16 = step(net, x, labels);
        }
        assertEquals(Precision.FP32, MixedPrecision.current());
        Map<String, INDArray> again = step(net, x, labels);
        // a gradient that is zero in exact arithmetic (the channel BN's beta feeds a dense layer and another BN,
        // which removes any shift) is rounding noise in both: errors are relative to at least 1e-3 of the largest
        double largest = fp32.values().stream().mapToDouble(a -> a.amaxNumber().doubleValue()).max().orElseThrow();
        for (String k : fp32.keySet()) {
            assertArrayEquals(fp32.get(k).dup().reshape(-1).toDoubleVector(), again.get(k).dup().reshape(-1).toDoubleVector(), 0, "fp32 after the bf16 scope, " + k);
            double scale = Math.max(fp32.get(k).amaxNumber().doubleValue(), 1e-3 * largest);
            double e = fp32.get(k).castTo(DataType.DOUBLE).sub(bf16.get(k).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
            System.out.printf("every-layer graph, bf16 against fp32: %s %.1e%n", k, e);
            assertTrue(e < GRAPH_TOLERANCE, k + ": " + e);
        }
    }
}
