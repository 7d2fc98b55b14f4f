package amface.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import amface.data.Progress;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.layers.Precision;

/**
 * bf16 and int8 layer by layer against fp32 on real aligned LFW faces (trained-like batch norms): every stored
 * value's relative error (root-mean-square difference over the value's root mean square; int8 calibration clips the
 * rarest largest values, so a maximum difference would measure those) stays under {@value #BF16_LAYER} for bf16 and
 * {@value #INT8_LAYER} for int8, and the int8 embeddings keep cosine {@value #INT8_COSINE} to fp32 on every face
 * (measured with least-squared-error ranges on 8 faces: 0.9998 for ResFace20, 0.9995 for the IR net; with VNNI, which
 * oneDNN needs for full 8-bit weights: without it oneDNN 2.5 halves them to 7 bits, hence the margin).
 */
class ReducedPrecisionTest {
    static final double BF16_LAYER = 0.01;
    static final double INT8_LAYER = 0.06;
    static final double INT8_COSINE = 0.997;
    private static List<RgbImage> faces;
    private static FaceModel model;

    @BeforeAll
    static void setUp() throws Exception {
        faces = EngineFixtures.lfwFaces(16);
        BackboneSpec spec = BackboneSpec.named("resface20").channels(16, 32, 64, 128).embeddingSize(128);
        model = EngineFixtures.trainedLike(FaceModel.create(spec), 11);
    }

    @Test
    void bf16LayerByLayer() {
        String why = Precision.bf16Problem();
        assumeTrue(why == null, "bf16 cannot run here: " + why);
        try (InferenceEngine f = InferenceEngine.of(model, Precision.FP32); InferenceEngine b = InferenceEngine.of(model, Precision.BF16)) {
            check(f.trace(faces), b.trace(faces), BF16_LAYER, "bf16");
        }
    }

    @Test
    void int8LayerByLayerAndEmbeddings() {
        Int8Scales q = Int8Calibration.of(model).calibrate(faces.subList(0, 8), Progress.NONE); // half the faces: the rest are new to it
        try (InferenceEngine f = InferenceEngine.of(model, Precision.FP32); InferenceEngine i8 = InferenceEngine.of(model, Precision.FP32).withInt8(q)) {
            check(f.trace(faces), i8.trace(faces), INT8_LAYER, "int8");
            assertInt8Close(f, i8);
        }
    }

    /** L-ResNet-E-IR: the int8 batch norm before each unit and the residual sum post-ops with their own scales. */
    @Test
    void int8OfAnIrNet() {
        BackboneSpec spec = BackboneSpec.lResNet50eIr().channels(16, 16, 32, 32).units(2, 2, 3, 2).embeddingSize(64);
        FaceModel ir = EngineFixtures.trainedLike(FaceModel.create(spec), 12);
        Int8Scales q = Int8Calibration.of(ir).calibrate(faces.subList(0, 8), Progress.NONE);
        try (InferenceEngine f = InferenceEngine.of(ir, Precision.FP32); InferenceEngine i8 = InferenceEngine.of(ir, Precision.FP32).withInt8(q)) {
            check(f.trace(faces), i8.trace(faces), INT8_LAYER, "int8 IR");
            assertInt8Close(f, i8);
        }
    }

    /**
     * Operators kept out of int8: all of them give the f32 engine's embeddings; one (the last convolution) runs in
     * f32, so its value is closer to f32 than in the all-int8 engine. The kept set survives the model file.
     */
    @Test
    void keptOperatorsRunInTheBaseFormat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        List<String> names = InferencePlan.of(model).ops().stream().filter(op -> !(op instanceof InferencePlan.Dense)).map(InferencePlan.Op::name).toList();
        List<RgbImage> calibration = faces.subList(0, 8);
        Int8Scales all = Int8Calibration.of(model).keep(java.util.Set.copyOf(names)).calibrate(calibration, Progress.NONE);
        String lastConv = null;
        for (InferencePlan.Op op : InferencePlan.of(model).ops()) if (op instanceof InferencePlan.Conv) lastConv = op.name();
        Int8Scales one = Int8Calibration.of(model).keep(java.util.Set.of(lastConv)).calibrate(calibration, Progress.NONE);
        Int8Scales none = Int8Calibration.of(model).calibrate(calibration, Progress.NONE);
        try (InferenceEngine f = InferenceEngine.of(model, Precision.FP32); InferenceEngine k = InferenceEngine.of(model, Precision.FP32).withInt8(all);
             InferenceEngine k1 = InferenceEngine.of(model, Precision.FP32).withInt8(one); InferenceEngine i8 = InferenceEngine.of(model, Precision.FP32).withInt8(none)) {
            assertTrue(EngineFixtures.maxAbsDiff(f.embed(faces), k.embed(faces)) < 1e-5, "everything kept is f32");
            var want = f.trace(faces);
            double kept = relativeError(want.get(lastConv), k1.trace(faces).get(lastConv)), int8 = relativeError(want.get(lastConv), i8.trace(faces).get(lastConv));
            System.out.printf("%s kept: relative error %.4f, in int8 %.4f%n", lastConv, kept, int8);
            assertTrue(kept < 0.8 * int8, "kept in f32 " + kept + " against int8 " + int8);
        }
        java.nio.file.Path file = dir.resolve("m.zip"), quantized = dir.resolve("m-int8.zip");
        model.save(file);
        one.writeModel(file, quantized);
        assertEquals(java.util.Set.of(lastConv), Int8Scales.read(quantized).kept());
        org.junit.jupiter.api.Assertions.assertNull(Int8Scales.read(file), "the source is not quantized");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> Int8Calibration.of(model).keep(java.util.Set.of("stage9")));
        assertTrue(e.getMessage().startsWith("the model has no operator 'stage9' to keep out of int8"), e.getMessage());
    }

    private static double relativeError(float[] a, float[] b) {
        double d = 0, m = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) (a[i] - b[i]) * (a[i] - b[i]);
            m += (double) a[i] * a[i];
        }
        return Math.sqrt(d / m);
    }

    private static void assertInt8Close(InferenceEngine f, InferenceEngine i8) {
        {
            float[][] want = f.embed(faces), got = i8.embed(faces);
            double worst = 1;
            for (int i = 0; i < want.length; i++) worst = Math.min(worst, EngineFixtures.cosine(want[i], got[i]));
            System.out.printf("int8: worst cosine to fp32 %.5f%n", worst);
            assertTrue(worst >= INT8_COSINE, "worst cosine " + worst);
            for (String impl : i8.implementations(faces.size())) assertTrue(!impl.contains("ref:"), "a reference kernel: " + impl);
        }
    }

    private static void check(Map<String, float[]> want, Map<String, float[]> got, double tolerance, String what) {
        assertTrue(want.keySet().equals(got.keySet()), "values differ: " + want.keySet() + " vs " + got.keySet());
        for (String v : want.keySet()) {
            double rel = relativeError(want.get(v), got.get(v));
            System.out.printf("%s %-22s relative error %.4f%n", what, v, rel);
            assertTrue(rel < tolerance, what + " value " + v + ": relative error " + rel);
        }
    }
}
