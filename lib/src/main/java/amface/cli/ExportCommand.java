package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import amface.data.SyntheticFaces;
import amface.image.RgbImage;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import amface.nn.FaceModel;
import amface.onnx.OnnxCheck;
import amface.onnx.OnnxExport;
import amface.onnx.OnnxGraphWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
        "Write a model's embedding network as ONNX (opset 13): NCHW float input [N, 3, H, W] with a dynamic batch, output [N, E], batch norm folded.",
        "The preprocessing a caller must apply (input size, channel order, mean and scale, alignment template, flip) goes into the file's metadata_props and is printed.",
        "Example: amface export runs/x/model.zip --out model.onnx --check"
    })
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption model;

    @Option(names = {"--out", "--onnx"}, required = true, paramLabel = "FILE.onnx", description = "Where to write the ONNX model (atomically).")
    Path out;

    @Option(names = "--check", description = "Then run the written file in OpenCV DNN on synthetic faces and compare with the model (max abs diff, cosine).")
    boolean check;

    @Override
    public Integer call() {
        Path model = this.model.file();
        checkOutput(out, model);
        FaceModel m = FaceModel.load(model);
        if (amface.inference.Int8Scales.read(model) != null) {
            // quantize keeps the fp32 weights and adds int8 ranges; ONNX gets those weights, not amface's int8 engine
            System.out.println(model + " is int8-quantized (amface quantize): the ONNX file holds its fp32 equivalent, the weights it was "
                + "quantized from; quantize the ONNX model with the target runtime's own tools");
        }
        OnnxExport onnx;
        try {
            onnx = OnnxExport.of(m, new ConsoleProgress());
        } catch (IllegalArgumentException e) {
            throw new UserError(model + ": " + e.getMessage(), e);
        }
        long bytes;
        // Owned while written, as embed's and eval's outputs are: two exports never silently share one file.
        try (FolderLock owned = FolderLock.acquireFile(out, "amface export --out " + out)) {
            bytes = onnx.writeTo(out);
        } catch (IOException e) {
            throw new UserError("could not write " + out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "wrote %s (%.1f MB, opset %d) from %s in %.2f s%n", out, bytes / 1e6,
            OnnxGraphWriter.OPSET, model, onnx.conversionSeconds());
        System.out.println("metadata_props (the preprocessing a caller must apply):");
        for (Map.Entry<String, String> e : onnx.metadata().entrySet()) System.out.println("  " + e.getKey() + ": " + e.getValue());
        return check ? check(m, onnx) : 0;
    }

    /** Synthetic faces suffice: the check compares two implementations of one network, not recognition quality. */
    private int check(FaceModel m, OnnxExport onnx) {
        SyntheticFaces faces = SyntheticFaces.builder().seed(1).size(m.inputWidth(), m.inputHeight()).build();
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) images.add(faces.render(i % 4, i));
        OnnxCheck c = OnnxCheck.run(m, out, images, onnx.metadata());
        System.out.println("OpenCV DNN check on synthetic faces, " + c);
        if (c.passes()) return 0;
        System.err.println("amface export: " + out + " does not compute what the model computes in OpenCV DNN (" + c + ")");
        return 1;
    }

    /**
     * The output rules every command shares (io.OutputFolders), plus the one export and quantize add: never over the
     * model itself. Refused before any work.
     */
    static void checkOutput(Path out, Path model) {
        try {
            OutputFolders.requireFileOrAbsent(out, "--out");
            if (Files.exists(out) && Files.exists(model) && Files.isSameFile(out, model)) {
                throw new UserError("--out " + out + " is the model file itself; give another file");
            }
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
