package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * oneDNN's training batch norm + PReLU (what CPU training runs) against the composed libnd4j ops evaluated in
 * double ({@link BatchNormPrelu} with {@code amface.nn.kernels=native}, itself checked by finite differences):
 * statistics, forward and every gradient to 1e-5, with and without PReLU, on views with offsets.
 */
class OneDnnBatchNormPreluTest {

    private static INDArray view(INDArray values) {
        INDArray big = Nd4j.create(DataType.FLOAT, values.length() + 5);
        return big.get(NDArrayIndex.interval(5, values.length() + 5)).reshape(values.shape()).assign(values);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void matchesNativeDouble(boolean prelu) {
        Nd4j.getRandom().setSeed(prelu ? 1 : 2);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 9, 7, 48).muli(1.5).addi(0.3);
        INDArray g = Nd4j.randn(DataType.DOUBLE, 4, 9, 7, 48);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 48).addi(0.5), beta = Nd4j.randn(DataType.DOUBLE, 48);
        INDArray alpha = prelu ? Nd4j.rand(DataType.DOUBLE, 48).muli(0.6) : null;

        NativeBatchNormReference reference = NativeBatchNormReference.of(x, gamma, beta, alpha, g);

        OneDnnBatchNormPrelu bn = new OneDnnBatchNormPrelu();
        INDArray xf = view(x.castTo(DataType.FLOAT)), gf = view(g.castTo(DataType.FLOAT));
        INDArray gammaF = view(gamma.castTo(DataType.FLOAT)), betaF = view(beta.castTo(DataType.FLOAT));
        INDArray alphaF = prelu ? view(alpha.castTo(DataType.FLOAT)) : null;
        INDArray mf = view(Nd4j.create(DataType.FLOAT, 48)), vf = view(Nd4j.create(DataType.FLOAT, 48));
        INDArray outf = view(Nd4j.create(DataType.FLOAT, x.shape()));
        for (int round = 0; round < 2; round++) { // the second reuses the primitives
            bn.forward(xf, gammaF, betaF, alphaF, 1e-3, outf, mf, vf);
            INDArray gxf = view(Nd4j.create(DataType.FLOAT, x.shape())), ggf = view(Nd4j.create(DataType.FLOAT, 48));
            INDArray gbf = ggf.dup(), gaf = view(Nd4j.create(DataType.FLOAT, 48));
            bn.backward(xf, mf, vf, gammaF, betaF, alphaF, 1e-3, gf, gxf, ggf, gbf, prelu ? gaf : null,
                Nd4j.create(DataType.FLOAT, x.shape()), Nd4j.create(DataType.FLOAT, x.shape()));
            reference.assertMatched(mf, vf, outf, gxf, ggf, gbf, gaf);
        }
        if (!prelu) { // inference form: given statistics
            INDArray outGiven = view(Nd4j.create(DataType.FLOAT, x.shape()));
            bn.forwardWithStatistics(xf, mf, vf, gammaF, betaF, 1e-3, outGiven);
            NativeBatchNormReference.close(reference.out(), outGiven, "forward with given statistics");
        }
    }
}
