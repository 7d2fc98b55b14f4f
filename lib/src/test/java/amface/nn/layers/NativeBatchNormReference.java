package amface.nn.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norm + PReLU statistics, forward and backward from libnd4j's composed ops in double
 * ({@link BatchNormPrelu} with {@code amface.nn.kernels=native}, checked by finite differences in
 * {@code LayerGradientCheckTest}): the reference the float CPU paths are held to.
 */
record NativeBatchNormReference(INDArray mean, INDArray var, INDArray out, INDArray gradX, INDArray gradGamma,
                                INDArray gradBeta, INDArray gradAlpha) {

    /** For double {@code x} ([..., c]) and gradient {@code gradOut}; {@code alpha} null means no PReLU. */
    static NativeBatchNormReference of(INDArray x, INDArray gamma, INDArray beta, INDArray alpha, INDArray gradOut) {
        System.setProperty("amface.nn.kernels", "native");
        try {
            INDArray m = Nd4j.create(DataType.DOUBLE, gamma.length()), v = m.ulike(), out = x.ulike();
            INDArray gx = x.ulike(), gg = m.ulike(), gb = m.ulike(), ga = alpha == null ? null : m.ulike();
            BatchNormPrelu.moments(x, m, v);
            BatchNormPrelu.forward(x, m, v, gamma, beta, alpha, 1e-3, out);
            BatchNormPrelu.backward(x, m, v, gamma, beta, alpha, 1e-3, gradOut, gx, gg, gb, ga);
            return new NativeBatchNormReference(m, v, out, gx, gg, gb, ga);
        } finally {
            System.clearProperty("amface.nn.kernels");
        }
    }

    /** Asserts that another path's results agree to 1e-5 ({@code gradAlpha} only where there is PReLU). */
    void assertMatched(INDArray mean, INDArray var, INDArray out, INDArray gradX, INDArray gradGamma, INDArray gradBeta,
                       INDArray gradAlpha) {
        close(this.mean, mean, "mean");
        close(this.var, var, "variance");
        close(this.out, out, "forward");
        close(this.gradX, gradX, "input gradient");
        close(this.gradGamma, gradGamma, "gamma gradient");
        close(this.gradBeta, gradBeta, "beta gradient");
        if (this.gradAlpha != null) close(this.gradAlpha, gradAlpha, "alpha gradient");
    }

    static void close(INDArray expected, INDArray actual, String what) {
        amface.testing.ArrayClose.assertClose(expected, actual, 1e-5, 1, what);
    }
}
