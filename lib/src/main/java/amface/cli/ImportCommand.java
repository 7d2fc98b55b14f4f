package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import amface.io.FolderLock;
import amface.io.OutputFolders;
import amface.nn.FaceModel;
import amface.onnx.IResNetOnnxImport;
import amface.onnx.OnnxImportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
        "Read an ONNX file exported from insightface's arcface_torch IResNet (iresnet18/34/50/100, torch2onnx.py, opset 11+) as an amface model.",
        "The model keeps insightface's normalisation, (x/255 - 0.5)/0.5 in RGB; embed, verify, eval, export and train --init use it.",
        "The file is only parsed (protobuf data), never executed. Example: amface import --onnx w600k_r50.onnx --out r50.zip"
    })
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "FILE.onnx", description = "The ONNX file to import.")
    Path onnx;

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "Where to write the amface model (atomically).")
    Path out;

    @Override
    public Integer call() {
        checkPaths();
        long start = System.nanoTime();
        FaceModel model;
        try {
            model = IResNetOnnxImport.read(onnx, new ConsoleProgress());
        } catch (OnnxImportException e) {
            throw new UserError(e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Owned while written, as export's output is: two imports never silently share one file.
        try (FolderLock owned = FolderLock.acquireFile(out, "amface import --out " + out)) {
            model.save(out);
        } catch (IOException e) {
            throw new UserError("could not write " + out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "imported %s as %s in %.2f s, wrote %s (%.1f MB)%n", onnx, model.spec(), seconds, out, size(out) / 1e6);
        System.out.println("normalisation: " + model.normalisation().describe() + ", flip: " + model.metadata().flip()
            + ", weights fingerprint " + model.fingerprint().substring(0, 12));
        System.out.println("no verification threshold stored: run amface calibrate on labelled pairs before amface verify");
        return 0;
    }

    /** Refused before any work: a missing input, an output that is a folder or the input itself. */
    private void checkPaths() {
        if (!Files.isRegularFile(onnx)) throw new UserError("--onnx " + onnx + ": no such file");
        try {
            OutputFolders.requireFileOrAbsent(out, "--out");
            if (Files.exists(out) && Files.isSameFile(out, onnx)) throw new UserError("--out " + out + " is the ONNX file itself; give another file");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }
}
