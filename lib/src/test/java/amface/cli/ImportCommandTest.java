package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.PixelNormalisation;
import amface.nn.FaceModel;
import amface.testing.Python;

/** {@code amface import --onnx}: writes a model with insightface's normalisation; bad input is one line and writes nothing. */
class ImportCommandTest {
    @TempDir Path dir;

    private Path tinyOnnx() {
        Path python = Python.venv("iresnet", "reference/requirements-iresnet.txt");
        Path out = dir.resolve("tiny.onnx");
        Python.script(python, "reference/iresnet_onnx.py", out.toString(), "--units", "1,1,1,1", "--widths", "8,8,16,16", "--size", "32",
            "--embedding", "8");
        return out;
    }

    @Test
    void importsWritesAndExportsWithTheModelsOwnNormalisation() throws IOException {
        Path onnx = tinyOnnx();
        Path model = dir.resolve("tiny.zip");
        EvalCommandTest.Run r = EvalCommandTest.run("import", "--onnx", onnx.toString(), "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("iresnet10-8c-32x32") && r.out().contains("(x - 127.5) / 127.5, RGB"), r.out());
        FaceModel m = FaceModel.load(model);
        assertEquals(PixelNormalisation.INSIGHTFACE, m.normalisation());

        EvalCommandTest.Run export = EvalCommandTest.run("export", model.toString(), "--out", dir.resolve("back.onnx").toString(), "--check");
        assertEquals(0, export.code(), export.err() + export.out());
        assertTrue(export.out().contains("normalisation: (x - 127.5) / 127.5"), export.out());
    }

    @Test
    void badInputIsOneLineAndKeepsTheOldOutput() throws IOException {
        Path onnx = tinyOnnx();
        byte[] bytes = Files.readAllBytes(onnx);
        Path truncated = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        Path out = dir.resolve("model.zip");
        byte[] old = {1, 2, 3};
        Files.write(out, old);
        EvalCommandTest.Run r = EvalCommandTest.run("import", "--onnx", truncated.toString(), "--out", out.toString());
        assertEquals(2, r.code(), "a user error");
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains(truncated.toString()) && r.err().contains("truncated"), r.err());
        assertArrayEquals(old, Files.readAllBytes(out));

        EvalCommandTest.Run folder = EvalCommandTest.run("import", "--onnx", onnx.toString(), "--out", dir.toString());
        assertTrue(folder.code() != 0 && folder.err().contains("--out"), folder.err());
        EvalCommandTest.Run missing = EvalCommandTest.run("import", "--onnx", dir.resolve("none.onnx").toString(), "--out", out.toString());
        assertTrue(missing.code() != 0 && missing.err().contains("none.onnx"), missing.err());
        EvalCommandTest.Run itself = EvalCommandTest.run("import", "--onnx", onnx.toString(), "--out", onnx.toString());
        assertTrue(itself.code() != 0 && itself.err().contains("ONNX file itself"), itself.err());
    }
}
