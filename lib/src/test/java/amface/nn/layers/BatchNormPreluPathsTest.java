package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        NativeBatchNormReference reference = NativeBatchNormReference.of(x, gamma, beta, alpha, g);

        INDArray xf = x.castTo(DataType.FLOAT), gf = g.castTo(DataType.FLOAT);
        assertTrue(BatchNormPrelu.usesHostLoops(xf, gf));
        INDArray mf = Nd4j.create(DataType.FLOAT, 40), vf = Nd4j.create(DataType.FLOAT, 40), outf = xf.ulike();
        INDArray gxf = xf.ulike(), ggf = Nd4j.create(DataType.FLOAT, 40), gbf = ggf.ulike(), gaf = ggf.ulike();
        BatchNormPrelu.moments(xf, mf, vf);
        BatchNormPrelu.forward(xf, mf, vf, gamma.castTo(DataType.FLOAT), beta.castTo(DataType.FLOAT), alpha.castTo(DataType.FLOAT), 1e-3, outf);
        BatchNormPrelu.backward(xf, mf, vf, gamma.castTo(DataType.FLOAT), beta.castTo(DataType.FLOAT), alpha.castTo(DataType.FLOAT),
            1e-3, gf, gxf, ggf, gbf, gaf);
        reference.assertMatched(mf, vf, outf, gxf, ggf, gbf, gaf);
        assertEquals(threads, BatchNormPrelu.hostThreads());
    }
}
