package amface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Specs: names, properties round trip, validation, and that both architectures build, run and train. */
class BackboneSpecTest {

    @Test
    void namesAndRoundTrip() {
        assertEquals("resface20", BackboneSpec.resFace20().name());
        assertEquals("resface36", BackboneSpec.resFace36().name());
        assertEquals("resface64", BackboneSpec.resFace64().name());
        assertEquals("lresnet50e-ir", BackboneSpec.lResNet50eIr().name());
        assertEquals("lresnet50e-ir-112x112", BackboneSpec.named("lresnet50e-ir-112").name());
        for (String n : new String[] {"iresnet18", "iresnet34", "iresnet50", "iresnet100"}) assertEquals(n, BackboneSpec.named(n).name());
        assertEquals("iresnet50-112x96", BackboneSpec.named("iresnet50").input(112, 96).name());
        assertEquals("resface20-16c-56x48", BackboneSpec.resFace20().channels(16, 32, 64, 128).input(56, 48).name());
        BackboneSpec s = BackboneSpec.lResNet50eIr().input(112, 112).embeddingSize(256).dropoutKeep(0.5);
        assertEquals(s, BackboneSpec.fromProperties(s.toProperties()));
        assertArrayEquals(new int[] {7, 6}, BackboneSpec.resFace20().featureMapSize());
    }

    @Test
    void theRegistryListsEveryFamilysPresetsAndReadsTheirIds() {
        assertEquals(java.util.List.of("resface20", "resface36", "resface64", "lresnet50e-ir", "lresnet50e-ir-112", "iresnet18", "iresnet34",
            "iresnet50", "iresnet100"), Backbone.names());
        for (Backbone family : Backbone.FAMILIES) {
            assertEquals(family, Backbone.byId(family.id()));
            for (var e : family.presets().entrySet()) {
                assertEquals(family, e.getValue().architecture(), e.getKey());
                assertEquals(e.getValue(), BackboneSpec.fromProperties(e.getValue().toProperties()), e.getKey());
                assertEquals(e.getValue(), BackboneSpec.named(e.getKey().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        // the ids written in model files of today
        assertEquals("RESFACE", BackboneSpec.resFace20().toProperties().getProperty("architecture"));
        assertEquals("LRESNET_E_IR", BackboneSpec.lResNet50eIr().toProperties().getProperty("architecture"));
        assertEquals("IRESNET", BackboneSpec.named("iresnet50").toProperties().getProperty("architecture"));
        var p = BackboneSpec.resFace20().toProperties();
        p.setProperty("architecture", "MOBILEFACENET");
        String msg = assertThrows(IllegalArgumentException.class, () -> BackboneSpec.fromProperties(p)).getMessage();
        assertTrue(msg.contains("MOBILEFACENET") && msg.contains("RESFACE") && msg.contains("LRESNET_E_IR"), msg);
        // IR units stride in their first unit, so a stage needs one; ResFace stages may have none
        assertThrows(IllegalArgumentException.class, () -> BackboneSpec.lResNet50eIr().units(0, 1, 1, 1));
        assertEquals("resface12", BackboneSpec.resFace(0, 1, 2, 1).name());
    }

    /** Batch-norm constants belong to the family: PyTorch's for insightface's IResNet, the reference's for the others. */
    @Test
    void everyBatchNormOfAFamilyHasItsEpsilonAndDecay() {
        for (BackboneSpec spec : new BackboneSpec[] {BackboneSpec.resFace20(), BackboneSpec.lResNet50eIr(), BackboneSpec.named("iresnet18")}) {
            BatchNormSettings want = spec.architecture().batchNorm();
            int layers = 0;
            for (var v : spec.embeddingGraphConfiguration(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0).getVertices().values()) {
                if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof amface.nn.layers.NormalizedLayerConf n) {
                    assertEquals(want.epsilon(), n.getBnEpsilon(), spec.name());
                    assertEquals(want.decay(), n.getBnDecay(), spec.name());
                    layers++;
                }
            }
            assertTrue(layers > 10, spec.name());
        }
        assertEquals(1e-5, BackboneSpec.named("iresnet50").architecture().batchNorm().epsilon());
        assertEquals(1e-3, BackboneSpec.lResNet50eIr().architecture().batchNorm().epsilon());
    }

    @Test
    void badParametersAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BackboneSpec.named("resnet18")).getMessage().contains("known:"));
        assertThrows(IllegalArgumentException.class, () -> BackboneSpec.resFace20().channels(16, 32, 64));
        assertThrows(IllegalArgumentException.class, () -> BackboneSpec.resFace20().dropoutKeep(0));
        assertThrows(IllegalArgumentException.class, () -> BackboneSpec.resFace20().embeddingSize(0));
        var p = BackboneSpec.resFace20().toProperties();
        p.remove("units");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BackboneSpec.fromProperties(p)).getMessage().contains("units"));
    }

    @org.junit.jupiter.api.AfterEach
    void restoreThreads() {
        Threads.set(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resface", "ir"})
    void smallVariantsRunAndTrain(String arch) {
        Threads.set(1); // tiny arrays: thread hand-offs would dominate
        BackboneSpec spec = (arch.equals("ir") ? BackboneSpec.lResNet50eIr() : BackboneSpec.resFace20())
            .channels(8, 16, 32, 64).units(1, 2, 1, 1).input(28, 24).embeddingSize(16);
        ComputationGraph net = spec.embeddingGraph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 28, 24, 3);
        INDArray e = net.outputSingle(false, x);
        assertArrayEquals(new long[] {3, 16}, e.shape());
        assertTrue(Double.isFinite(e.sumNumber().doubleValue()));

        ComputationGraph trainable = BadInputTest.trainable(spec);
        var batch = BadInputTest.batch(Nd4j.rand(DataType.FLOAT, 8, 28, 24, 3));
        double first = trainable.score(batch, false);
        for (int i = 0; i < 8; i++) trainable.fit(batch);
        double after = trainable.score(batch, false);
        assertTrue(after < first, arch + ": loss on the training batch " + first + " -> " + after);
        // clone() is what ParallelWrapper uses to make its replicas
        ComputationGraph copy = trainable.clone();
        assertEquals(trainable.outputSingle(false, x), copy.outputSingle(false, x));
    }
}
