package amface.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Comparing arrays computed two ways: the largest absolute difference, relative to the expected array's largest value. */
public final class ArrayClose {
    private ArrayClose() { }

    /** The largest |expected - actual|, computed in double. */
    public static double maxDifference(INDArray expected, INDArray actual) {
        return expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Fails unless maxDifference <= tol * max(minScale, max |expected|). */
    public static void assertClose(INDArray expected, INDArray actual, double tol, double minScale, String what) {
        double scale = Math.max(minScale, expected.amaxNumber().doubleValue());
        double err = maxDifference(expected, actual);
        assertTrue(err <= tol * scale, what + ": max |difference| " + err + " > " + tol + " * " + scale);
    }
}
