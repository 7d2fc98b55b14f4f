package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import amface.image.RgbImage;
import amface.inference.ActivationRange;
import amface.inference.Int8Calibration;
import amface.inference.Int8Scales;
import amface.io.FolderLock;
import amface.nn.FaceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = {
        "Post-training int8 quantization of a model for inference: activation ranges calibrated on aligned faces, weights quantized per output channel when the model is loaded.",
        "The output is the model file with the quantization in its metadata (weights and fingerprint unchanged); embed and eval run it in int8, training refuses it.",
        "Example: amface quantize --model runs/x/model.zip --calibration aligned/ --out runs/x/model-int8.zip"
    })
final class QuantizeCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption model;

    @Option(names = "--calibration", required = true, paramLabel = "DIR",
        description = "Folder of aligned faces of the model's input size (any depth; a few hundred suffice; to measure int8 honestly, of people other than those it is evaluated on).")
    Path calibration;

    @Option(names = "--images", defaultValue = "500", paramLabel = "N", description = "Use at most N faces (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "Where to write the quantized model (atomically).")
    Path out;

    @Option(names = "--ranges", defaultValue = "mse", paramLabel = "RULE",
        description = "How each activation's int8 range is chosen from the calibration values: mse (least squared error of clipping plus rounding),"
            + " max (nothing clipped) or percentile:SHARE of all calibration values (e.g. percentile:0.9999, near the rule before 2026-12, which took"
            + " the largest of each 32-face batch's percentile); default: ${DEFAULT-VALUE}.")
    String ranges;

    @Option(names = "--keep", split = ",", paramLabel = "OP",
        description = "Operators (vertex names, e.g. stage4_down) to leave in f32/bf16 instead of int8; the first convolution and the dense layer always are.")
    List<String> keep = List.of();

    static final OptionRange IMAGES = OptionRange.of("--images", 1, 100_000, "calibration faces");

    @Override
    public Integer call() {
        IMAGES.check(images);
        Path modelFile = model.file();
        ExportCommand.checkOutput(out, modelFile);
        try (FolderLock owned = FolderLock.acquireFile(out, "amface quantize --out " + out)) {
            FaceModel m = FaceModel.load(modelFile);
            Int8Calibration calibrator;
            try {
                calibrator = Int8Calibration.of(m).rule(ActivationRange.parse(ranges)).keep(new LinkedHashSet<>(keep));
            } catch (IllegalArgumentException e) {
                throw new UserError((e.getMessage().startsWith("the model") ? "--keep: " : "--ranges: ") + e.getMessage(), e);
            }
            Int8Calibration.Faces faces;
            try {
                faces = Int8Calibration.readFaces(calibration, m.inputHeight(), m.inputWidth(), images);
            } catch (IllegalArgumentException e) {
                throw new UserError("--calibration: " + e.getMessage(), e);
            }
            if (faces.skipped() > 0) System.out.println("skipped " + faces.skipped() + " files, e.g. " + faces.firstProblem());
            Int8Scales q = calibrator.calibrate(faces.faces(), new ConsoleProgress());
            q.writeModel(modelFile, out);
            report(m, q, faces.faces());
            System.out.println("wrote " + out + " (int8, " + ranges + " ranges calibrated on " + faces.faces().size() + " faces from " + calibration
                + (keep.isEmpty() ? "" : ", " + String.join(",", keep) + " kept in f32/bf16") + ")");
            return 0;
        } catch (IOException e) {
            throw new UserError("could not write " + out + ": " + e.getMessage(), e);
        }
    }

    /** How far int8 moves the calibration faces' embeddings from fp32, so a bad calibration shows at once. */
    private static void report(FaceModel m, Int8Scales q, List<RgbImage> faces) {
        Int8Calibration.Agreement a = Int8Calibration.agreement(m, q, faces.subList(0, Math.min(64, faces.size())));
        System.out.printf(Locale.ROOT, "int8 against fp32 on %d calibration faces: cosine mean %.5f, worst %.5f%n", a.faces(), a.meanCosine(), a.worstCosine());
    }
}
