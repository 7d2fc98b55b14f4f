package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Double-precision finite-difference gradient checks of ConvBnPrelu (3x3 s1/s2, 1x1, with and without PReLU) and
 * ChannelBatchNorm (NHWC and dense), on the CPU host loops and on the composed native ops (the CUDA path).
 */
class LayerGradientCheckTest {

    private DataType before;

    @org.junit.jupiter.api.BeforeEach
    void doublePrecision() {
        before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        // tiny arrays: one thread avoids OpenMP hand-offs that dominate on a busy 2-core machine
        amface.nn.Threads.set(1);
    }

    @AfterEach
    void restore() {
        System.clearProperty("amface.nn.kernels");
        Nd4j.setDefaultDataTypes(before, before);
        amface.nn.Threads.set(Runtime.getRuntime().availableProcessors());
    }

    /** Up to 10 entries of every parameter array, both kernel paths: ~500 forward passes each. */
    @ParameterizedTest
    @ValueSource(strings = {"host", "native"})
    void gradientsMatchFiniteDifferences(String kernels) {
        System.setProperty("amface.nn.kernels", kernels);
        INDArray probe = Nd4j.create(DataType.DOUBLE, 4, 3);
        assertEquals(kernels.equals("host"), BatchNormPrelu.usesHostLoops(probe), "kernel path in use");

        ComputationGraph net = TinyGraphs.everyLayer(DataType.DOUBLE, WorkspaceMode.NONE, 11);
        Nd4j.getRandom().setSeed(5);
        INDArray in = Nd4j.randn(DataType.DOUBLE, 5, 7, 6, 3);
        INDArray labels = Nd4j.randn(DataType.DOUBLE, 5, 3);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
            .inputs(new INDArray[] {in}).labels(new INDArray[] {labels})
            .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(10)
            .excludeParams(Set.of("c1_mean", "c1_var", "c2_mean", "c2_var", "c3_mean", "c3_var", "c4_mean", "c4_var",
                "bn_mean", "bn_var", "fcbn_mean", "fcbn_var")));
        assertTrue(ok, "gradient check failed with " + kernels + " kernels (see the log)");
    }
}
