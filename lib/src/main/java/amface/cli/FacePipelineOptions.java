package amface.cli;

import amface.align.MtcnnDetector;
import amface.eval.FlipMode;
import amface.nn.FaceModel;
import amface.pipeline.FacePipeline;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The photo -> face options shared by {@code amface verify} and {@code amface calibrate} (a picocli mixin). */
final class FacePipelineOptions {
    @Mixin
    MtcnnOptions mtcnn;

    @Option(names = "--detect-size", defaultValue = "" + FacePipeline.DEFAULT_DETECTION_SIZE, paramLabel = "PX",
        description = "Search faces on a copy of each photo at most PX pixels long, align from the full photo; 0: search at full size (default: ${DEFAULT-VALUE}).")
    int detectSize;

    /** The MTCNN detector; the caller closes it. */
    MtcnnDetector detector() {
        if (detectSize < 0) throw new UserError("--detect-size must be 0 (full size) or positive, got " + detectSize);
        return mtcnn.detector();
    }

    FacePipeline pipeline(FaceModel model, FlipMode flip, MtcnnDetector detector) {
        return FacePipeline.of(model, detector).withFlip(flip).withDetectionSize(detectSize);
    }
}
