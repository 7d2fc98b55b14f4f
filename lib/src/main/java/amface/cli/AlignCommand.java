package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import amface.align.AlignTemplate;
import amface.align.DatasetAligner;
import amface.align.FaceDetector;
import amface.align.FaceAligner;
import amface.align.MtcnnDetector;
import amface.align.OpThreads;
import amface.align.YuNetDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "align", mixinStandardHelpOptions = true,
    description = {"Detect, align and crop every face of a dataset: RAW_ROOT/Name/file -> ALIGNED_ROOT/Name/file, "
        + "with a landmarks CSV (one row per image: aligned, fallback or unreadable). Rerun after an interruption to resume."})
final class AlignCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "RAW_ROOT", description = "Dataset root: RAW_ROOT/Name/image.jpg.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "ALIGNED_ROOT", description = "Where the aligned faces go (mirrored tree).")
    Path output;

    @Option(names = "--size", defaultValue = "112x96", paramLabel = "HxW", description = "Face chip size: 112x96 or 112x112 (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--detector", defaultValue = "mtcnn", paramLabel = "NAME", description = "Face detector: mtcnn (default) or yunet (faster, misses small faces in large images).")
    String detector;

    @Option(names = "--yunet-model", paramLabel = "FILE.onnx", description = "YuNet 320x320 ONNX model (default: $AMFACE_YUNET_MODEL, else ../shared/data/yunet/yunet_yunet_final_320_320_simplify.onnx).")
    Path yunetModel;

    @Option(names = "--landmarks", paramLabel = "OUT.csv", description = "Landmarks CSV (default ALIGNED_ROOT/landmarks.csv).")
    Path landmarks;

    @Option(names = "--threads", paramLabel = "N", description = "Images aligned at once (default: all cores).")
    Integer threads;

    @Option(names = "--weights", paramLabel = "DIR", description = "Folder with facenet's det1.npy, det2.npy, det3.npy "
        + "(default: $AMFACE_MTCNN_WEIGHTS, else ../shared/data/mtcnn).")
    Path weights;

    @Option(names = "--min-size", defaultValue = "20", paramLabel = "PX", description = "Smallest face searched for, in pixels (default ${DEFAULT-VALUE}).")
    double minSize;

    @Option(names = "--factor", defaultValue = "0.709", description = "Image pyramid scale step (default ${DEFAULT-VALUE}; the reference's align_lfw.py uses 0.85).")
    double factor;

    @Option(names = "--thresholds", split = ",", defaultValue = "0.6,0.7,0.7", paramLabel = "P,R,O", description = "P-Net, R-Net, O-Net score thresholds (default ${DEFAULT-VALUE}).")
    double[] thresholds;

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
        if (thresholds.length != 3) throw new UserError("--thresholds needs three values P,R,O, got " + thresholds.length);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new UserError("--threads must be at least 1, got " + n);
        FaceDetector faces;
        if (detector.equals("yunet")) {
            Path m = yunetModel;
            if (m == null && System.getenv("AMFACE_YUNET_MODEL") != null) m = Path.of(System.getenv("AMFACE_YUNET_MODEL"));
            if (m == null) m = Path.of("..", "shared", "data", "yunet", "yunet_yunet_final_320_320_simplify.onnx");
            if (!Files.isRegularFile(m)) throw new UserError("no YuNet model at " + m.toAbsolutePath().normalize() + ": pass --yunet-model FILE.onnx");
            faces = new YuNetDetector(m, 0.9);
        } else {
            Path w = mtcnnWeights(weights);
            // One image per thread, one OpenMP thread per op: the fastest split for MTCNN's many small ops.
            OpThreads.set(1);
            try {
                faces = MtcnnDetector.builder().weights(w).minSize(minSize).factor(factor)
                    .thresholds(thresholds[0], thresholds[1], thresholds[2]).build();
            } catch (java.io.UncheckedIOException e) {
                throw new UserError("MTCNN weights: " + e.getCause().getMessage());
            }
        }
        DatasetAligner.Summary s;
        try {
            s = DatasetAligner.builder(new FaceAligner(faces, template)).input(input).output(output).landmarks(landmarks)
                .threads(n).progress(new ConsoleProgress()).build().run();
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (!s.problems().isEmpty()) {
            System.err.println("unreadable images (" + s.problems().size() + "):");
            for (String p : s.problems()) System.err.println("  " + p);
        }
        System.out.println(s.line());
        System.out.println("landmarks: " + s.landmarks());
        return 0;
    }

    /** The MTCNN weight folder: the option, else $AMFACE_MTCNN_WEIGHTS, else ../shared/data/mtcnn. */
    static Path mtcnnWeights(Path option) {
        Path w = option;
        if (w == null && System.getenv("AMFACE_MTCNN_WEIGHTS") != null) w = Path.of(System.getenv("AMFACE_MTCNN_WEIGHTS"));
        if (w == null) w = Path.of("..", "shared", "data", "mtcnn");
        if (!Files.isRegularFile(w.resolve("det1.npy"))) {
            throw new UserError("no MTCNN weights in " + w.toAbsolutePath().normalize() + ": pass --weights DIR holding facenet's det1.npy, det2.npy, det3.npy (facenet src/align/)");
        }
        return w;
    }
}
