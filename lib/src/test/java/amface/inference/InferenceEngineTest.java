package amface.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.layers.Precision;

/**
 * The engine against {@link FaceModel#embed} on real aligned LFW faces, batch norms with trained-like statistics:
 * fp32 to {@value #FP32_TOLERANCE} max abs (relative to the embedding's scale, which these nets keep near 1); bf16 to
 * cosine {@value #BF16_COSINE} on every face (bf16 keeps 8 bits of mantissa, each of ~20 layers rounds once).
 */
class InferenceEngineTest {
    static final double FP32_TOLERANCE = 1e-4;
    static final double BF16_COSINE = 0.999;
    private static List<RgbImage> faces;

    @BeforeAll
    static void align() throws Exception {
        faces = EngineFixtures.lfwFaces(12);
    }

    static Stream<BackboneSpec> backbones() {
        return Stream.of(
            BackboneSpec.named("resface20").channels(16, 32, 64, 128).embeddingSize(128),
            BackboneSpec.named("resface36").channels(8, 16, 32, 64).embeddingSize(64),
            BackboneSpec.lResNet50eIr().channels(16, 16, 32, 32).units(2, 2, 3, 2).embeddingSize(64));
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void fp32MatchesTheModel(BackboneSpec spec) {
        FaceModel m = EngineFixtures.trainedLike(FaceModel.create(spec), spec.hashCode());
        float[][] want = m.embed(faces);
        try (InferenceEngine e = InferenceEngine.of(m, Precision.FP32)) {
            float[][] got = e.embed(faces);
            double d = EngineFixtures.maxAbsDiff(want, got);
            System.out.printf("%s fp32: max abs diff %.2e (embedding max %.3f)%n", spec, d, EngineFixtures.maxAbs(want));
            assertTrue(d < FP32_TOLERANCE, "max abs diff " + d);
        }
    }

    @ParameterizedTest
    @MethodSource("backbones")
    void bf16IsCloseToFp32(BackboneSpec spec) {
        String why = Precision.bf16Problem();
        assumeTrue(why == null, "bf16 cannot run here: " + why);
        FaceModel m = EngineFixtures.trainedLike(FaceModel.create(spec), spec.hashCode());
        try (InferenceEngine f = InferenceEngine.of(m, Precision.FP32); InferenceEngine b = InferenceEngine.of(m, Precision.BF16)) {
            float[][] want = f.embed(faces), got = b.embed(faces);
            double worst = 1;
            for (int i = 0; i < faces.size(); i++) worst = Math.min(worst, EngineFixtures.cosine(want[i], got[i]));
            System.out.printf("%s bf16: worst cosine to fp32 %.6f%n", spec, worst);
            assertTrue(worst >= BF16_COSINE, "worst cosine " + worst);
            for (String impl : b.implementations(faces.size())) assertTrue(!impl.contains("ref:"), "a reference kernel: " + impl);
        }
    }

    @Test
    void oddBatchSizesGiveTheSameEmbeddings() {
        BackboneSpec spec = BackboneSpec.named("resface20").channels(8, 8, 16, 16).embeddingSize(32);
        FaceModel m = EngineFixtures.trainedLike(FaceModel.create(spec), 3);
        try (InferenceEngine e = InferenceEngine.of(m, Precision.FP32)) {
            float[][] all = e.embed(faces);
            float[][] one = e.embed(faces.subList(5, 6));
            assertEquals(0, EngineFixtures.maxAbsDiff(new float[][] {all[5]}, one), 1e-6);
        }
    }

    /** Without oneDNN (here: libnd4j's convolutions asked for) fp32 falls back to the model's own graph; int8 says why it cannot. */
    @Test
    void withoutOneDnnFp32UsesTheModelAndInt8Refuses() {
        FaceModel m = FaceModel.create(BackboneSpec.named("resface20").channels(8, 8, 16, 16).embeddingSize(32));
        System.setProperty("amface.nn.conv", "nd4j");
        try {
            assertTrue(InferenceEngine.embedder(m, null, Precision.FP32) == m);
            Int8Scales none = new Int8Scales(java.util.Map.of(), 0);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InferenceEngine.embedder(m, none, Precision.FP32));
            assertTrue(e.getMessage().contains("the int8 inference engine cannot run this model: it runs on oneDNN on the CPU backend only"), e.getMessage());
        } finally {
            System.clearProperty("amface.nn.conv");
        }
        assertTrue(InferenceEngine.embedder(m, null, Precision.FP32) instanceof InferenceEngine);
    }
}
