package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import amface.align.AlignTemplate;
import amface.align.DatasetAligner;
import amface.align.FaceDetector;
import amface.align.FaceAligner;
import amface.align.YuNetDetector;
import amface.io.OutputFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "align", mixinStandardHelpOptions = true,
    description = {"Detect, align and crop every face of a dataset: RAW_ROOT/Name/file -> ALIGNED_ROOT/Name/file, "
        + "with a landmarks CSV (one row per image: aligned, fallback or unreadable). Rerun after an interruption to resume."})
final class AlignCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "RAW_ROOT", description = "Dataset root: RAW_ROOT/Name/image.jpg.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "ALIGNED_ROOT", description = "Where the aligned faces go (mirrored tree); "
        + "not the input folder nor one holding it; owned by one align run at a time.")
    Path output;

    @Option(names = "--size", defaultValue = "112x96", paramLabel = "HxW", description = "Face chip size: 112x96 or 112x112 (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--detector", defaultValue = "mtcnn", paramLabel = "NAME", description = "Face detector: mtcnn (default) or yunet (faster, misses small faces in large images).")
    String detector;

    @Option(names = "--yunet-model", paramLabel = "FILE.onnx", description = "YuNet 320x320 ONNX model (default: $AMFACE_YUNET_MODEL, else ../shared/data/yunet/yunet_yunet_final_320_320_simplify.onnx).")
    Path yunetModel;

    @Option(names = "--landmarks", paramLabel = "OUT.csv", description = "Landmarks CSV (default ALIGNED_ROOT/landmarks.csv).")
    Path landmarks;

    @Mixin
    AlignThreadsOption threads;

    @Mixin
    MtcnnOptions mtcnn;

    @Override
    public Integer call() throws IOException {
        AlignTemplate template;
        try {
            template = AlignTemplate.parse(size);
        } catch (IllegalArgumentException e) {
            throw new UserError("--size: " + e.getMessage());
        }
        if (!detector.equals("mtcnn") && !detector.equals("yunet")) throw new UserError("--detector: unknown detector '" + detector + "' (available: mtcnn, yunet)");
        if (!Files.isDirectory(input)) throw new UserError("--input " + input + ": no such folder (expected RAW_ROOT/Name/image.jpg)");
        mtcnn.validate();
        int n = threads.count();
        try {
            OutputFolders.requireFolderOrAbsent(output, "--output");
            OutputFolders.requireApart(input, output, "--input", "--output");
            if (landmarks != null) OutputFolders.requireFileOrAbsent(landmarks, "--landmarks");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        FaceDetector faces;
        if (detector.equals("yunet")) {
            Path m = yunetModel;
            if (m == null && System.getenv("AMFACE_YUNET_MODEL") != null) m = Path.of(System.getenv("AMFACE_YUNET_MODEL"));
            if (m == null) m = Path.of("..", "shared", "data", "yunet", "yunet_yunet_final_320_320_simplify.onnx");
            if (!Files.isRegularFile(m)) throw new UserError("no YuNet model at " + m.toAbsolutePath().normalize() + ": pass --yunet-model FILE.onnx");
            faces = new YuNetDetector(m, 0.9);
        } else {
            faces = mtcnn.detector();
        }
        DatasetAligner.Summary s;
        try {
            s = DatasetAligner.builder(new FaceAligner(faces, template)).input(input).output(output).landmarks(landmarks)
                .threads(n).progress(new ConsoleProgress()).build().run();
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (!s.problems().isEmpty()) {
            System.err.println("unreadable or skipped images (" + s.problems().size() + "):");
            for (String p : s.problems()) System.err.println("  " + p);
        }
        System.out.println(s.line());
        System.out.println("landmarks: " + s.landmarks());
        return 0;
    }
}
