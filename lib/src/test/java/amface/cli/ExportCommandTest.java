package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import onnx.Onnx.ModelProto;

/** {@code amface export}: writes a readable ONNX file and prints its metadata; bad input is one line and writes nothing. */
class ExportCommandTest {
    @TempDir Path dir;

    private Path smallModel() {
        Path file = dir.resolve("model.zip");
        FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).input(24, 20).channels(4, 4, 8, 8).embeddingSize(16)).save(file);
        return file;
    }

    private List<String> folder() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheOnnxFileAndPrintsTheMetadata() throws IOException {
        Path model = smallModel();
        Path out = dir.resolve("model.onnx");
        EvalCommandTest.Run r = EvalCommandTest.run("export", model.toString(), "--out", out.toString(), "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("OpenCV DNN check on synthetic faces, 8 images: max abs diff") && r.out().contains("(within 1e-04 x max(1, largest value))"), r.out());
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals("embedding", proto.getGraph().getOutput(0).getName());
        assertEquals("N", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertTrue(r.out().contains("embedding_size: 16") && r.out().contains("normalisation: (x - 127.5) / 128"), r.out());
        assertEquals(List.of("model.onnx", "model.zip"), folder(), "no temporary file is left behind");

        EvalCommandTest.Run again = EvalCommandTest.run("export", "--model", model.toString(), "--onnx", out.toString());
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void notAModelIsOneLineNamingTheFileAndKeepsTheOldOutput() throws IOException {
        Path notModel = dir.resolve("notes.zip");
        Files.writeString(notModel, "not a zip");
        Path out = dir.resolve("model.onnx");
        byte[] old = {1, 2, 3};
        Files.write(out, old);
        EvalCommandTest.Run r = EvalCommandTest.run("export", notModel.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(notModel.toString()), r.err());
        assertArrayEquals(old, Files.readAllBytes(out), "a failed export leaves the existing output as it was");
    }

    @Test
    void outputThatIsTheModelOrAFolderIsRefused() throws IOException {
        Path model = smallModel();
        byte[] before = Files.readAllBytes(model);
        EvalCommandTest.Run self = EvalCommandTest.run("export", model.toString(), "--out", model.toString());
        assertEquals(2, self.code());
        assertTrue(self.err().contains("is the model file itself"), self.err());
        assertArrayEquals(before, Files.readAllBytes(model));
        EvalCommandTest.Run folder = EvalCommandTest.run("export", model.toString(), "--out", dir.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        EvalCommandTest.Run both = EvalCommandTest.run("export", model.toString(), "--model", model.toString(), "--out", "x.onnx");
        assertEquals(2, both.code());
    }
}
