package amface.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every head against PyTorch (golden files from reference/heads_golden.py, float64) to 1e-5, and against central
 * finite differences in double precision. The golden inputs include target cosines of exactly +1 and -1.
 */
class MarginLossTest {
    static final double TOLERANCE = 1e-5;

    private static int threads;
    private static int masterThreads;

    /** These arrays are tiny: one native thread avoids waiting for a second one on a busy machine. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        threads = Nd4j.getEnvironment().maxThreads();
        masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
    }

    static Stream<GoldenCase> cases() {
        return GoldenCase.all();
    }

    static void assertClose(String what, double expected, double actual) {
        assertTrue(Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
            what + ": expected " + expected + ", got " + actual);
    }

    static void assertClose(String what, INDArray expected, INDArray actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + " shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) assertClose(what + "[" + i + "]", e[i], a[i]);
    }

    private static MarginLoss.Result run(GoldenCase c, INDArray x, INDArray w, INDArray b, double s) {
        return MarginLoss.compute(x, w, b, c.margin(), s, c.oneHot(), c.warm(), c.step(), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(GoldenCase c) {
        INDArray x = c.matrix("x");
        INDArray w = c.matrix("W");
        INDArray b = c.matrix("b");
        long batch = x.size(0);
        MarginLoss.Result r = run(c, x, w, b, c.scale());
        assertClose(c + " loss", c.number("loss"), r.loss());
        // The golden gradients are of the mean loss, amface's of the sum.
        assertClose(c + " dL/dx", c.matrix("dX"), r.dX().div(batch));
        assertClose(c + " dL/dW", c.matrix("dW"), r.dW().div(batch));
        if (c.has("dB")) assertClose(c + " dL/db", c.matrix("dB"), r.dB().div(batch));
        if (c.has("dS")) assertClose(c + " dL/ds", c.number("dS"), r.dS() / batch);
        if (!"softmax".equals(c.kind())) assertClose(c + " cosines", c.matrix("cos"), r.logits());
    }

    /**
     * Central differences (h = 1e-6, double): element by element on the rows whose target cosine is +1 and -1, and
     * along random directions through all of x, W, b (each ND4J call is slow on a busy machine; directions keep
     * the check to a few dozen loss evaluations per head).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GoldenCase c) {
        INDArray x = c.matrix("x");
        INDArray w = c.matrix("W");
        INDArray b = c.matrix("b");
        double s = c.scale();
        long batch = x.size(0);
        MarginLoss.Result r = run(c, x, w, b, s);
        java.util.function.DoubleSupplier loss = () -> run(c, x, w, b, s).loss();
        INDArray dX = r.dX().div(batch);
        for (int i = 0; i < 2 * x.size(1); i++) {
            int row = (int) (i / x.size(1));
            int col = (int) (i % x.size(1));
            INDArray direction = Nd4j.zeros(DataType.DOUBLE, x.shape());
            direction.putScalar(row, col, 1.0);
            checkDirection(c + " x[" + row + "," + col + "]", x, direction, dX, loss);
        }
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 3; k++) checkDirection(c + " x direction " + k, x, randomLike(x, random), dX, loss);
        for (int k = 0; k < 4; k++) checkDirection(c + " W direction " + k, w, randomLike(w, random), r.dW().div(batch), loss);
        if (b != null) for (int k = 0; k < 2; k++) checkDirection(c + " b direction " + k, b, randomLike(b, random), r.dB().div(batch), loss);
        if (c.margin() != null && !c.margin().scalesByFeatureNorm()) {
            double h = 1e-6;
            double fd = (run(c, x, w, b, s + h).loss() - run(c, x, w, b, s - h).loss()) / (2 * h);
            assertClose(c + " s (finite difference)", fd, r.dS() / batch);
        }
    }

    private static INDArray randomLike(INDArray a, java.util.Random random) {
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
        return Nd4j.createFromArray(v).reshape(a.shape());
    }

    /** (L(p + h d) - L(p - h d)) / 2h against the analytic gradient . d; p is restored afterwards. */
    private static void checkDirection(String what, INDArray param, INDArray direction, INDArray analytic,
                                       java.util.function.DoubleSupplier loss) {
        double h = 1e-6;
        INDArray saved = param.dup();
        param.addi(direction.mul(h));
        double up = loss.getAsDouble();
        param.assign(saved).subi(direction.mul(h));
        double down = loss.getAsDouble();
        param.assign(saved);
        double expected = analytic.mul(direction).sumNumber().doubleValue();
        assertClose(what + " (finite difference)", (up - down) / (2 * h), expected);
    }

    @Test
    void floatPrecisionAgreesWithDouble() {
        GoldenCase c = GoldenCase.all().filter(g -> g.name().equals("am")).findFirst().orElseThrow();
        MarginLoss.Result d = run(c, c.matrix("x"), c.matrix("W"), null, 30);
        MarginLoss.Result f = MarginLoss.compute(c.matrix("x").castTo(DataType.FLOAT), c.matrix("W").castTo(DataType.FLOAT), null,
            c.margin(), 30, c.oneHot().castTo(DataType.FLOAT), 1, 0, true);
        assertEquals(DataType.FLOAT, f.dX().dataType());
        assertEquals(d.loss(), f.loss(), 1e-4 * d.loss());
        assertTrue(d.dW().sub(f.dW().castTo(DataType.DOUBLE)).norm2Number().doubleValue() < 1e-4 * d.dW().norm2Number().doubleValue());
    }

    @Test
    void warmUpZeroIsNormFaceAndPlainSoftmaxHasNoMargin() {
        GoldenCase am = GoldenCase.all().filter(g -> g.name().equals("am")).findFirst().orElseThrow();
        INDArray x = am.matrix("x");
        INDArray w = am.matrix("W");
        double cold = MarginLoss.compute(x, w, null, new CosineMargin(0.35), 30, am.oneHot(), 0, 0, false).loss();
        double normFace = MarginLoss.compute(x, w, null, new CosineMargin(0), 30, am.oneHot(), 1, 0, false).loss();
        double hot = MarginLoss.compute(x, w, null, new CosineMargin(0.35), 30, am.oneHot(), 1, 0, false).loss();
        assertEquals(normFace, cold, 1e-12);
        assertTrue(hot > cold, "a margin makes the loss larger");
        for (Margin m : new Margin[] {new ArcMargin(0.5, false), new CombinedMargin(1.3, 0.2, 0.1)}) {
            // equal up to the clamp of the edge rows' cosines to 1 - 1e-7 for their angles
            assertEquals(normFace, MarginLoss.compute(x, w, null, m, 30, am.oneHot(), 0, 0, false).loss(), 1e-5, m.describe());
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 5, 2);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> MarginLoss.compute(x, w, null, new CosineMargin(0.35), 30, Nd4j.zeros(DataType.DOUBLE, 3, 2), 1, 0, false));
        assertTrue(e.getMessage().contains("[3, 4]"), e.getMessage());
    }
}
