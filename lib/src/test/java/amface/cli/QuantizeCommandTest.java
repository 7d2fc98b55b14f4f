package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.SyntheticFaces;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.inference.InferenceEngine;
import amface.inference.Int8Scales;
import amface.nn.layers.Precision;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;

/** {@code amface quantize}: a quantized copy with the same weights; bad input is one line and writes nothing. */
class QuantizeCommandTest {
    @TempDir Path dir;

    private Path smallModel() {
        Path file = dir.resolve("model.zip");
        FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).input(24, 20).channels(4, 4, 8, 8).embeddingSize(16)).save(file);
        return file;
    }

    private Path faces(int width, int height, int n) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("faces-" + width + "x" + height));
        SyntheticFaces s = SyntheticFaces.builder().seed(2).size(width, height).build();
        for (int i = 0; i < n; i++) ImageWriter.write(s.render(i % 3, i), folder.resolve("p" + i % 3).resolve(i + ".png"));
        return folder;
    }

    @Test
    void writesAQuantizedCopyWithTheSameWeights() throws IOException {
        Path model = smallModel();
        Path out = dir.resolve("model-int8.zip");
        faces(20, 24, 12);
        EvalCommandTest.Run r = EvalCommandTest.run("quantize", "--model", model.toString(), "--calibration", dir.resolve("faces-20x24").toString(),
            "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("int8 against fp32 on 12 calibration faces: cosine mean"), r.out());
        Int8Scales q = Int8Scales.read(out);
        assertNotNull(q);
        assertEquals(12, q.images());
        assertEquals(FaceModel.load(model).fingerprint(), FaceModel.load(out).fingerprint(), "the weights are the model's");
        assertEquals(null, Int8Scales.read(model), "the source is not changed");
        // training's one refusal (resume and --init use it) recognises quantize's output, not its source
        amface.train.TrainingException e = assertThrows(amface.train.TrainingException.class,
            () -> amface.train.Checkpoint.refuseQuantized(amface.data.ZipEntries.read(out), out));
        assertTrue(e.getMessage().contains("int8-quantized model"), e.getMessage());
        amface.train.Checkpoint.refuseQuantized(amface.data.ZipEntries.read(model), model);

        try (InferenceEngine engine = InferenceEngine.load(out, Precision.FP32)) {
            assertEquals("int8+fp32", engine.format());
            RgbImage face = SyntheticFaces.builder().seed(3).size(20, 24).build().render(0, 0);
            assertEquals(16, engine.embed(java.util.List.of(face))[0].length);
        }
    }

    @Test
    void noUsableImageIsOneLineAndWritesNothing() throws IOException {
        Path model = smallModel();
        Path out = dir.resolve("model-int8.zip");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        EvalCommandTest.Run r = EvalCommandTest.run("quantize", model.toString(), "--calibration", empty.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("has no usable image: no .jpg/.jpeg/.png/.bmp file in it"), r.err());
        assertFalse(Files.exists(out));

        Path wrongSize = faces(30, 30, 2);
        r = EvalCommandTest.run("quantize", model.toString(), "--calibration", wrongSize.toString(), "--out", out.toString());
        assertTrue(r.err().contains("has no usable image: 2 files skipped, e.g.") && r.err().contains("is 30x30 (HxW) but the model takes 24x20: the aspect ratios differ"), r.err());
        assertFalse(Files.exists(out));

        r = EvalCommandTest.run("quantize", model.toString(), "--calibration", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertTrue(r.err().contains("does not exist or is not a folder"), r.err());

        r = EvalCommandTest.run("quantize", model.toString(), "--calibration", wrongSize.toString(), "--out", model.toString());
        assertTrue(r.err().contains("is the model file itself"), r.err());
    }

    /** --ranges and --keep reach the quantization; a bad rule or an unknown operator is one line and writes nothing. */
    @Test
    void rangeRuleAndKeptOperators() throws IOException {
        Path model = smallModel();
        Path out = dir.resolve("model-int8.zip");
        Path faces = faces(20, 24, 6);
        EvalCommandTest.Run r = EvalCommandTest.run("quantize", "--model", model.toString(), "--calibration", faces.toString(), "--out", out.toString(),
            "--ranges", "percentile:0.999", "--keep", "stage4_down");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("percentile:0.999 ranges calibrated on 6 faces") && r.out().contains("stage4_down kept in f32/bf16"), r.out());
        assertEquals(java.util.Set.of("stage4_down"), Int8Scales.read(out).kept());
        Files.delete(out);

        r = EvalCommandTest.run("quantize", model.toString(), "--calibration", faces.toString(), "--out", out.toString(), "--ranges", "entropy");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--ranges: unknown activation range rule 'entropy' (mse, max or percentile:SHARE)"), r.err());
        r = EvalCommandTest.run("quantize", model.toString(), "--calibration", faces.toString(), "--out", out.toString(), "--keep", "stage9_down");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--keep: the model has no operator 'stage9_down' to keep out of int8"), r.err());
        assertFalse(Files.exists(out));
    }
}
