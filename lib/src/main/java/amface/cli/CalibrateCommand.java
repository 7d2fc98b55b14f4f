package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import amface.align.MtcnnDetector;
import amface.data.LfwPairs;
import amface.eval.EmbeddingExtractor;
import amface.eval.Embeddings;
import amface.eval.FarThreshold;
import amface.eval.FlipMode;
import amface.eval.VerificationPairs;
import amface.nn.FaceModel;
import amface.nn.ModelFingerprint;
import amface.nn.VerificationThreshold;
import amface.pipeline.PhotoPairSimilarities;
import amface.pipeline.PhotoPairs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {
        "Choose a model's verification threshold at a target false accept rate and store it in the model file.",
        "The threshold is the cosine similarity above which two faces count as the same person; the held-out FAR and "
            + "TAR and their spread come from 10 folds by default (chosen on nine, measured on the tenth).",
        "Pairs are either LFW-format pairs over aligned images (--pairs pairs.txt --data ALIGNED) or labelled raw photos "
            + "(--pairs master.csv with file_x,file_y,Decision), which go through the same MTCNN pipeline as amface verify.",
        "The flip mode calibrated with is stored as the model's. Only the model's metadata is rewritten (atomically); "
            + "the weights stay byte for byte."
    })
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption model;

    @Option(names = "--pairs", required = true, paramLabel = "FILE",
        description = "LFW-format pairs file (with --data), or a CSV of labelled photo pairs file_x,file_y,Decision (photos relative to it).")
    Path pairs;

    @Option(names = "--data", paramLabel = "ALIGNED", description = "Root of the aligned images an LFW pairs file names.")
    Path data;

    @Mixin
    PairsExtensionOption extension;

    @Option(names = "--far", defaultValue = "1e-3", paramLabel = "FAR", description = "Target false accept rate, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double far;

    @Mixin
    FoldsOption folds;

    @Mixin
    FlipOption flip;

    @Mixin
    BatchOption batch = new BatchOption(32);

    @Mixin
    FacePipelineOptions photos;

    @Override
    public Integer call() {
        Path modelFile = model.file();
        if (!(far > 0 && far < 1)) throw new UserError("--far must be in (0, 1), got " + far);
        int k = folds.folds(), batchSize = batch.size();
        FaceModel model = FaceModel.load(modelFile);
        String fingerprint = model.fingerprint();
        FlipMode mode = flip.mode(model);

        double[] similarity;
        boolean[] same;
        if (data != null) {
            List<LfwPairs.Pair> list;
            try {
                list = LfwPairs.read(pairs).pairs();
            } catch (IOException e) {
                throw new UserError(e.getMessage(), e);
            }
            System.out.println("Calibrating " + modelFile + " on " + list.size() + " pairs of " + pairs + " over " + data + " (flip " + mode.cliName() + ")");
            Embeddings e;
            try {
                e = EmbeddingExtractor.of(model).withFlip(mode).withBatchSize(batchSize).withProgress(new ConsoleProgress())
                    .extract(data, EmbeddingExtractor.imagesOf(list, extension.ext));
            } catch (IOException ex) {
                throw new UserError(ex.getMessage(), ex);
            }
            VerificationPairs vp = VerificationPairs.match(list, extension.ext, e, false, data.toString());
            similarity = vp.similarities();
            same = vp.same();
        } else {
            PhotoPairs photoPairs = PhotoPairs.read(pairs);
            System.out.println("Calibrating " + modelFile + " on " + photoPairs.pairs().size() + " photo pairs of " + pairs
                + " (MTCNN, largest face, flip " + mode.cliName() + ")");
            PhotoPairSimilarities s;
            try (MtcnnDetector detector = photos.detector()) {
                s = PhotoPairSimilarities.of(photos.pipeline(model, mode, detector), photoPairs, new ConsoleProgress());
            }
            if (s.skippedPairs() > 0) {
                System.out.println("Left out " + s.skippedPairs() + " of " + photoPairs.pairs().size() + " pairs: " + s.unusable().size() + " photos unusable");
                for (Map.Entry<Path, String> u : s.unusable().entrySet()) System.out.println("  " + u.getValue());
            }
            similarity = s.similarity();
            same = s.same();
        }
        FarThreshold t;
        try {
            t = FarThreshold.calibrate(similarity, same, k, far);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot calibrate on " + pairs + ": " + e.getMessage(), e);
        }
        VerificationThreshold stored = new VerificationThreshold(t.threshold(), far, t.far(), t.farStd(), t.tar(), t.tarStd(),
            t.folds(), t.pairs(), mode.cliName(), fingerprint, pairs.toString());
        FaceModel.storeMetadata(modelFile, model.metadata().withFlip(mode.cliName()).withThreshold(stored), fingerprint);
        System.out.println("Threshold at " + t.summary());
        System.out.println("Stored in " + modelFile + " (weights " + ModelFingerprint.shortForm(fingerprint) + ", flip " + mode.cliName() + ")");
        return 0;
    }
}
