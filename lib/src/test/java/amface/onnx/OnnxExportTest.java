package amface.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import amface.data.SyntheticFaces;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;

/** Small variants of every backbone family through ONNX Runtime against {@link FaceModel#embed}. */
class OnnxExportTest {
    static final double TOLERANCE = 1e-4;

    static List<RgbImage> synthetic(int count, int height, int width) {
        SyntheticFaces faces = SyntheticFaces.builder().seed(17).size(width, height).build();
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(faces.render(i % 3, i));
        return out;
    }

    /** Exports, runs in ONNX Runtime with a batch of {@code images}, returns the max abs difference to amface. */
    static double compare(FaceModel model, List<RgbImage> images) throws Exception {
        OnnxExport export = OnnxExport.of(model);
        float[][] want = model.embed(images);
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(export.toBytes())) {
            float[][] got = ort.run(ExportFixtures.nchw(images, ort.metadata()), images.size(), model.inputHeight(), model.inputWidth());
            return ExportFixtures.maxAbsDiff(want, got);
        }
    }

    @Test
    void smallResFaceMatchesOnnxRuntime() throws Exception {
        FaceModel m = FaceModel.create(BackboneSpec.resFace20().channels(8, 16, 32, 64).input(56, 48).embeddingSize(32));
        ExportFixtures.trainedLikeStatistics(m.graph(), 1);
        double d = compare(m, synthetic(5, 56, 48));
        System.out.println("resface small: max abs diff " + d);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }

    @Test
    void smallIrMatchesOnnxRuntime() throws Exception {
        FaceModel m = FaceModel.create(BackboneSpec.lResNet50eIr().channels(8, 16, 32, 64).units(1, 2, 1, 1).input(56, 48).embeddingSize(32));
        ExportFixtures.trainedLikeStatistics(m.graph(), 2);
        double d = compare(m, synthetic(5, 56, 48));
        System.out.println("ir small: max abs diff " + d);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }
}
