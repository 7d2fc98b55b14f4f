package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float host loops (what CPU training runs) against the composed native ops evaluated in double: statistics,
 * forward and backward agree to 1e-5, on 1360 rows (split over threads; with one thread several blocks per chunk)
 * and on a view with an offset.
 */
class BatchNormPreluPathsTest {

    @AfterEach
    void restore() {
        System.clearProperty("amface.nn.kernels");
    }

    private static void close(INDArray expected, INDArray actual, String what) {
        amface.testing.ArrayClose.assertClose(expected, actual, 1e-5, 1, what);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void hostFloatMatchesNativeDouble(int threads) {
        BatchNormPrelu.setHostThreads(threads);
        Nd4j.getRandom().setSeed(threads);
        INDArray big = Nd4j.randn(DataType.DOUBLE, 4 * 20 * 17 * 40 + 40).muli(1.5).addi(0.3);
        // a view with an offset into a larger buffer
        INDArray x = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(40, big.length())).reshape(4, 20, 17, 40);
        INDArray g = Nd4j.randn(DataType.DOUBLE, 4, 20, 17, 40);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 40).addi(0.5), beta = Nd4j.randn(DataType.DOUBLE, 40);
        INDArray alpha = Nd4j.rand(DataType.DOUBLE, 40).muli(0.6);

        System.setProperty("amface.nn.kernels", "native");
        INDArray m = Nd4j.create(DataType.DOUBLE, 40), v = Nd4j.create(DataType.DOUBLE, 40), out = x.ulike();
        INDArray gx = x.ulike(), gg = gamma.ulike(), gb = beta.ulike(), ga = alpha.ulike();
        BatchNormPrelu.moments(x, m, v);
        BatchNormPrelu.forward(x, m, v, gamma, beta, alpha, 1e-3, out);
        BatchNormPrelu.backward(x, m, v, gamma, beta, alpha, 1e-3, g, gx, gg, gb, ga);

        System.clearProperty("amface.nn.kernels");
        INDArray xf = x.castTo(DataType.FLOAT), gf = g.castTo(DataType.FLOAT);
        assertTrue(BatchNormPrelu.usesHostLoops(xf, gf));
        INDArray mf = Nd4j.create(DataType.FLOAT, 40), vf = Nd4j.create(DataType.FLOAT, 40), outf = xf.ulike();
        INDArray gxf = xf.ulike(), ggf = Nd4j.create(DataType.FLOAT, 40), gbf = ggf.ulike(), gaf = ggf.ulike();
        BatchNormPrelu.moments(xf, mf, vf);
        BatchNormPrelu.forward(xf, mf, vf, gamma.castTo(DataType.FLOAT), beta.castTo(DataType.FLOAT), alpha.castTo(DataType.FLOAT), 1e-3, outf);
        BatchNormPrelu.backward(xf, mf, vf, gamma.castTo(DataType.FLOAT), beta.castTo(DataType.FLOAT), alpha.castTo(DataType.FLOAT),
            1e-3, gf, gxf, ggf, gbf, gaf);
        close(m, mf, "mean");
        close(v, vf, "variance");
        close(out, outf, "forward");
        close(gx, gxf, "input gradient");
        close(gg, ggf, "gamma gradient");
        close(gb, gbf, "beta gradient");
        close(ga, gaf, "alpha gradient");
        assertEquals(threads, BatchNormPrelu.hostThreads());
    }
}
