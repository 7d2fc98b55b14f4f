package amface.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.Progress;
import amface.image.PixelNormalisation;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.testing.Python;

/**
 * insightface-style IResNets written by an independent PyTorch script ({@code reference/iresnet_onnx.py}: random
 * weights and batch-norm statistics, exported as torch2onnx.py does, eval mode, opset 11, TorchScript exporter),
 * imported by amface and compared with ONNX Runtime running the same file, on the model's own normalisation.
 * A full iresnet50 runs too.
 */
class IResNetOnnxImportTest {
    static final double TOLERANCE = 1e-4;
    static Path python;

    @BeforeAll
    static void venv() {
        python = Python.venv("iresnet", "reference/requirements-iresnet.txt");
    }

    static Path write(Path dir, String name, String... args) {
        Path out = dir.resolve(name);
        String[] all = new String[args.length + 1];
        all[0] = out.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        Python.script(python, "reference/iresnet_onnx.py", all);
        return out;
    }

    /** Imports {@code onnx}, embeds synthetic faces with amface and ONNX Runtime; returns the max abs difference. */
    static double importedAgainstOnnxRuntime(Path onnx, int images) throws Exception {
        long start = System.nanoTime();
        FaceModel m = IResNetOnnxImport.read(onnx, Progress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(PixelNormalisation.INSIGHTFACE, m.normalisation());
        List<RgbImage> faces = OnnxExportTest.synthetic(images, m.inputHeight(), m.inputWidth());
        float[][] want;
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(Files.readAllBytes(onnx))) {
            want = ort.run(OnnxCheck.nchw(faces, OnnxMetadata.of(m)), images, m.inputHeight(), m.inputWidth());
        }
        float[][] got = m.embed(faces);
        double d = OnnxCheck.maxAbsDiff(want, got);
        System.out.printf("%s: %s imported in %.2f s, max abs diff to ONNX Runtime %.3g (embedding scale %.3g)%n", onnx.getFileName(), m.spec(), seconds, d,
            ExportFixtures.maxAbs(want));
        assertTrue(ExportFixtures.maxAbs(want) > 0.1, "the reference embedding is not trivially small");
        return d;
    }

    @Test
    void iresnet18MatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        Path onnx = write(dir, "r18.onnx", "--units", "2,2,2,2");
        double d = importedAgainstOnnxRuntime(onnx, 4);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
        FaceModel m = IResNetOnnxImport.read(onnx, Progress.NONE);
        assertEquals(BackboneSpec.named("iresnet18"), m.spec());
    }

    /** Unfused export (Conv without bias, then BatchNormalization), a narrow net at an odd size, another embedding. */
    @Test
    void unfusedNarrowOddSizedIResNetMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        Path onnx = write(dir, "small.onnx", "--units", "1,2,1,1", "--widths", "8,16,24,32", "--size", "60", "--embedding", "24",
            "--seed", "3", "--unfused");
        double d = importedAgainstOnnxRuntime(onnx, 3);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }

    @Test
    void iresnet50MatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        Path onnx = write(dir, "r50.onnx", "--units", "3,4,14,3");
        double d = importedAgainstOnnxRuntime(onnx, 4);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }

    @Test
    void truncatedAndNonOnnxFilesAreNamed(@TempDir Path dir) throws Exception {
        Path onnx = write(dir, "tiny.onnx", "--units", "1,1,1,1", "--widths", "8,8,16,16", "--size", "32", "--embedding", "8");
        byte[] bytes = Files.readAllBytes(onnx);
        for (int cut : new int[] {bytes.length / 2, bytes.length - 3, 40}) {
            Path truncated = Files.write(dir.resolve("cut" + cut + ".onnx"), Arrays.copyOf(bytes, cut));
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> IResNetOnnxImport.read(truncated, Progress.NONE));
            assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
            System.out.println("cut at " + cut + ": " + e.getMessage());
        }
        Path text = Files.writeString(dir.resolve("notes.onnx"), "this is not a protobuf\n");
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> IResNetOnnxImport.read(text, Progress.NONE));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
    }

    /** amface's own ResFace export starts with a stride-2 Conv: the importer names that node. */
    @Test
    void anotherArchitectureIsRefusedNamingTheNode(@TempDir Path dir) throws Exception {
        FaceModel resface = FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).channels(8, 8, 16, 16).input(32, 32).embeddingSize(8));
        Path file = dir.resolve("resface.onnx");
        OnnxExport.of(resface).writeTo(file);
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> IResNetOnnxImport.read(file, Progress.NONE));
        assertTrue(e.getMessage().contains("node 'stage1_down/Conv' (Conv)"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
