package amface.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import amface.align.MtcnnDetector;
import amface.eval.FlipMode;
import amface.nn.FaceModel;
import amface.nn.ModelFingerprint;
import amface.nn.VerificationThreshold;
import amface.pipeline.FaceEmbedding;
import amface.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Tell whether two photos show the same person. Finds the faces (MTCNN; the largest when there are several), aligns them to the "
            + "model's input, embeds them with the model's normalisation and flip mode, and compares the cosine similarity with "
            + "the threshold stored by amface calibrate (or --threshold).",
        "  amface verify model.zip a.jpg b.jpg [--json]"
    })
final class VerifyCommand implements Callable<Integer> {

    @Parameters(arity = "2..3", paramLabel = "MODEL IMAGE_A IMAGE_B", hideParamSyntax = true, description = "The model file and two photos (or --model M IMAGE_A IMAGE_B).")
    List<Path> arguments;

    @Mixin
    ModelOption modelOption;

    @Option(names = "--threshold", paramLabel = "T", description = "Cosine-similarity threshold to use instead of the stored one.")
    Double threshold;

    @Mixin
    FlipOption flip;

    @Option(names = "--json", description = "Print one JSON object instead of text (for programs).")
    boolean json;

    @Mixin
    FacePipelineOptions photos;

    @Override
    public Integer call() {
        boolean modelFirst = modelOption.file == null;
        if (arguments.size() != (modelFirst ? 3 : 2)) {
            throw new UserError(modelFirst ? "give MODEL IMAGE_A IMAGE_B (or --model MODEL IMAGE_A IMAGE_B)" : "with --model give exactly two photos");
        }
        Path modelFile = modelFirst ? arguments.get(0) : modelOption.file;
        Path a = arguments.get(modelFirst ? 1 : 0), b = arguments.get(modelFirst ? 2 : 1);
        if (threshold != null && !(threshold >= -1 && threshold <= 1)) throw new UserError("--threshold must be a cosine similarity in [-1, 1], got " + threshold);

        long t0 = System.nanoTime();
        FaceModel model = FaceModel.load(modelFile);
        VerificationThreshold stored = model.metadata().threshold();
        FlipMode mode = flip.orElse(stored != null ? stored.flip() : model.metadata().flip());
        if (threshold == null) checkStored(modelFile, model, stored, mode);
        double used = threshold != null ? threshold : stored.similarity();
        try (MtcnnDetector detector = photos.detector()) {
            FacePipeline pipeline = photos.pipeline(model, mode, detector);
            long t1 = System.nanoTime();
            List<FaceEmbedding> e = pipeline.embed(List.of(a, b));
            long t2 = System.nanoTime();
            double similarity = e.get(0).similarity(e.get(1));
            boolean same = similarity > used;
            double loadSeconds = (t1 - t0) / 1e9, pairSeconds = (t2 - t1) / 1e9;
            if (json) {
                System.out.println(String.format(Locale.ROOT,
                    "{\"image_a\": %s, \"image_b\": %s, \"similarity\": %.6f, \"threshold\": %.6f, \"threshold_from\": \"%s\", "
                        + "\"same\": %s, \"faces_a\": %d, \"faces_b\": %d, \"flip\": \"%s\", \"seconds\": %.3f, \"load_seconds\": %.3f}",
                    quote(a.toString()), quote(b.toString()), similarity, used, threshold != null ? "option" : "model", same,
                    e.get(0).facesFound(), e.get(1).facesFound(), mode.cliName(), pairSeconds, loadSeconds));
            } else {
                System.out.println(String.format(Locale.ROOT, "%s: %s", same ? "same person" : "different people", a + " vs " + b));
                System.out.println(String.format(Locale.ROOT, "similarity %.4f, threshold %.4f (%s)", similarity, used,
                    threshold != null ? "--threshold" : "calibrated at FAR " + String.format(Locale.ROOT, "%.0e", stored.targetFar())
                        + " on " + stored.source() + ", TAR there " + String.format(Locale.ROOT, "%.3f", stored.tar())));
                for (FaceEmbedding f : e) {
                    if (f.facesFound() > 1) System.out.println(f.photo() + ": " + f.facesFound() + " faces found, used the largest");
                }
                System.out.println(String.format(Locale.ROOT, "%.2f s for the pair (flip %s), model and MTCNN loaded in %.2f s",
                    pairSeconds, mode.cliName(), loadSeconds));
            }
        }
        return 0;
    }

    /** A threshold holds only for the weights and flip mode it was calibrated with. */
    private static void checkStored(Path modelFile, FaceModel model, VerificationThreshold stored, FlipMode mode) {
        if (stored == null) {
            throw new UserError(modelFile + " has no calibrated threshold: run amface calibrate " + modelFile
                + " --pairs PAIRS --far 1e-3 (LFW pairs with --data ALIGNED, or a file_x,file_y,Decision CSV of photos), or pass --threshold T");
        }
        if (!stored.flip().equals(mode.cliName())) {
            throw new UserError("the threshold in " + modelFile + " was calibrated with flip " + stored.flip() + ", not " + mode.cliName()
                + ": drop --flip, recalibrate with --flip " + mode.cliName() + ", or pass --threshold T");
        }
        String now = model.fingerprint();
        if (!stored.fingerprint().isEmpty() && !stored.fingerprint().equals(now)) {
            throw new UserError("the threshold in " + modelFile + " was calibrated for other weights (" + ModelFingerprint.shortForm(stored.fingerprint())
                + ", the file holds " + ModelFingerprint.shortForm(now) + "): run amface calibrate again");
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
