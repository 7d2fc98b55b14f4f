package amface.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import amface.align.AlignTemplate;
import amface.align.Face;
import amface.align.FaceAligner;
import amface.align.FaceSelection;
import amface.align.MtcnnDetector;
import amface.align.OpThreads;
import amface.image.ImageReader;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.testing.TestPaths;

/**
 * Every backbone of both families, at the real input sizes and unit counts (narrow channels, so the test is fast), exported
 * and run by ONNX Runtime and by OpenCV DNN on real LFW faces aligned by MTCNN: the embeddings must match
 * {@link FaceModel#embed} to {@value #TOLERANCE} (max abs). The batch norms carry trained-like statistics, so
 * every fold changes the weights.
 */
class OnnxExportLfwTest {
    static final double TOLERANCE = OnnxCheck.TOLERANCE;
    private static final String[] IMAGES = {"Abel_Pacheco/Abel_Pacheco_0001.jpg", "Abel_Pacheco/Abel_Pacheco_0004.jpg",
        "Akhmed_Zakayev/Akhmed_Zakayev_0001.jpg", "Akhmed_Zakayev/Akhmed_Zakayev_0003.jpg",
        "Amber_Tamblyn/Amber_Tamblyn_0001.jpg", "Aaron_Eckhart/Aaron_Eckhart_0001.jpg"};
    private static final List<RgbImage> FACES_112x96 = new ArrayList<>();
    private static final List<RgbImage> FACES_112x112 = new ArrayList<>();
    private static int opThreadsBefore;

    @TempDir
    Path dir;

    /** MTCNN detects each face once; the same landmarks are warped onto both templates. */
    @BeforeAll
    static void alignLfwFaces() throws Exception {
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        opThreadsBefore = OpThreads.set(1);
        try (MtcnnDetector mtcnn = MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build()) {
            for (String name : IMAGES) {
                RgbImage photo = ImageReader.read(lfw.resolve(name));
                List<Face> faces = mtcnn.detect(photo);
                int pick = FaceSelection.pick(faces, photo.width(), photo.height());
                if (pick < 0) throw new AssertionError("MTCNN found no face in " + name);
                FACES_112x96.add(FaceAligner.warp(photo, faces.get(pick).landmarks(), AlignTemplate.SIZE_112x96));
                FACES_112x112.add(FaceAligner.warp(photo, faces.get(pick).landmarks(), AlignTemplate.SIZE_112x112));
            }
        }
    }

    @AfterAll
    static void restoreOpThreads() {
        OpThreads.set(opThreadsBefore); // the surefire JVM is shared with other areas' tests
    }

    /**
     * Every backbone {@code BackboneSpec.named} knows, with its real unit counts and input size, at a quarter or an
     * eighth of the width (the IR stem stays 64 channels).
     */
    static Stream<BackboneSpec> backbones() {
        return Stream.of(
            BackboneSpec.named("resface20").channels(16, 32, 64, 128).embeddingSize(128),
            BackboneSpec.named("resface36").channels(8, 16, 32, 64).embeddingSize(64),
            BackboneSpec.named("resface64").channels(8, 16, 32, 64).embeddingSize(64),
            BackboneSpec.named("lresnet50e-ir").channels(8, 16, 32, 64).embeddingSize(64),
            BackboneSpec.named("lresnet50e-ir-112").channels(8, 16, 32, 64).embeddingSize(64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backbones")
    void matchesOnnxRuntimeAndOpenCvOnAlignedLfwFaces(BackboneSpec spec) throws Exception {
        FaceModel m = FaceModel.create(spec);
        ExportFixtures.trainedLikeStatistics(m.graph(), spec.hashCode());
        checkBothRuntimes(m, spec.inputWidth() == 112 ? FACES_112x112 : FACES_112x96, spec.toString());
    }

    private void checkBothRuntimes(FaceModel model, List<RgbImage> faces, String label) throws Exception {
        long start = System.nanoTime();
        OnnxExport export = OnnxExport.of(model);
        Path file = dir.resolve("model.onnx");
        export.writeTo(file);
        double exportSeconds = (System.nanoTime() - start) / 1e9;
        float[][] want = model.embed(faces);
        float[][] ort, cv, single;
        Map<String, String> meta;
        try (OnnxRuntimeRunner runner = new OnnxRuntimeRunner(Files.readAllBytes(file))) {
            meta = runner.metadata();
            float[] x = OnnxCheck.nchw(faces, meta);
            ort = runner.run(x, faces.size(), model.inputHeight(), model.inputWidth());
            single = runner.run(java.util.Arrays.copyOf(x, x.length / faces.size()), 1, model.inputHeight(), model.inputWidth());
        }
        assertEquals(Integer.toString(model.embeddingSize()), meta.get("embedding_size"));
        assertEquals("N,3," + model.inputHeight() + "," + model.inputWidth(), meta.get("input_shape"));
        try (OpenCvDnnRunner runner = new OpenCvDnnRunner(file)) {
            cv = runner.run(OnnxCheck.nchw(faces, meta), faces.size(), model.inputHeight(), model.inputWidth());
        }
        double ortDiff = OnnxCheck.maxAbsDiff(want, ort), cvDiff = OnnxCheck.maxAbsDiff(want, cv);
        double singleDiff = OnnxCheck.maxAbsDiff(new float[][] {want[0]}, single);
        System.out.printf(Locale.ROOT, "%s: %d LFW faces, |embedding| max %.3f; export %.2f s; ONNX Runtime max abs diff %.2e, "
                + "min cosine 1 - %.1e; OpenCV DNN max abs diff %.2e, min cosine 1 - %.1e; batch of 1 max abs diff %.2e%n", label, faces.size(), ExportFixtures.maxAbs(want),
            exportSeconds, ortDiff, 1 - OnnxCheck.minCosine(want, ort), cvDiff, 1 - OnnxCheck.minCosine(want, cv), singleDiff);
        assertTrue(ortDiff < TOLERANCE, label + ": ONNX Runtime max abs diff " + ortDiff);
        assertTrue(singleDiff < TOLERANCE, label + ": a batch of 1 (the dynamic batch axis) max abs diff " + singleDiff);
        assertTrue(cvDiff < TOLERANCE, label + ": OpenCV DNN max abs diff " + cvDiff);
    }
}
