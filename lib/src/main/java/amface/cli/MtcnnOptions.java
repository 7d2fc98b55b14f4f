package amface.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import amface.align.MtcnnDetector;
import picocli.CommandLine.Option;

/** The MTCNN options shared by {@code amface align} and {@code amface bench align} (a picocli mixin). */
final class MtcnnOptions {
    @Option(names = "--weights", paramLabel = "DIR", description = "Folder with facenet's det1.npy, det2.npy, det3.npy "
        + "(default: $AMFACE_MTCNN_WEIGHTS, else ../shared/data/mtcnn).")
    Path weights;

    @Option(names = "--min-size", defaultValue = "20", paramLabel = "PX", description = "Smallest face searched for, in pixels, 4 to 4096 (default ${DEFAULT-VALUE}).")
    double minSize;

    @Option(names = "--factor", defaultValue = "0.709", description = "Image pyramid scale step, 0.3 to 0.95 (default ${DEFAULT-VALUE}; the reference's align_lfw.py uses 0.85).")
    double factor;

    @Option(names = "--thresholds", split = ",", defaultValue = "0.6,0.7,0.7", paramLabel = "P,R,O", description = "P-Net, R-Net, O-Net score thresholds, each 0 to 1 (default ${DEFAULT-VALUE}).")
    double[] thresholds;

    static final OptionRange MIN_SIZE = OptionRange.of("--min-size", 4, 4096, "smallest face in pixels");
    // A step of 1 or more never shrinks the pyramid (an endless loop); near 1 it builds hundreds of levels.
    static final OptionRange FACTOR = OptionRange.of("--factor", 0.3, 0.95, "image pyramid scale step");
    static final OptionRange THRESHOLD = OptionRange.of("--thresholds", 0, 1, "P-Net, R-Net, O-Net face scores");

    void validate() {
        if (thresholds.length != 3) throw new UserError("--thresholds needs three values P,R,O, got " + thresholds.length);
        MIN_SIZE.check(minSize);
        FACTOR.check(factor);
        for (double t : thresholds) THRESHOLD.check(t);
    }

    /** The detector these options describe; a bad weight folder or file is a {@link UserError}. */
    MtcnnDetector detector() {
        validate();
        Path w = weightsFolder();
        try {
            return MtcnnDetector.builder().weights(w).minSize(minSize).factor(factor)
                .thresholds(thresholds[0], thresholds[1], thresholds[2]).build();
        } catch (java.io.UncheckedIOException e) {
            throw new UserError("MTCNN weights: " + e.getCause().getMessage());
        }
    }

    /** The weight folder: the option, else $AMFACE_MTCNN_WEIGHTS, else ../shared/data/mtcnn. */
    Path weightsFolder() {
        Path w = weights;
        if (w == null && System.getenv("AMFACE_MTCNN_WEIGHTS") != null) w = Path.of(System.getenv("AMFACE_MTCNN_WEIGHTS"));
        if (w == null) w = Path.of("..", "shared", "data", "mtcnn");
        if (!Files.isRegularFile(w.resolve("det1.npy"))) {
            throw new UserError("no MTCNN weights in " + w.toAbsolutePath().normalize() + ": pass --weights DIR holding facenet's det1.npy, det2.npy, det3.npy (facenet src/align/)");
        }
        return w;
    }
}
