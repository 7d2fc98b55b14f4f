package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import amface.data.LfwPairs;
import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FarThreshold;
import amface.eval.InsightfaceBin;
import amface.eval.Metric;
import amface.eval.VerificationEvaluator;
import amface.eval.VerificationPairs;
import amface.eval.VerificationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {
        "Evaluate face verification on LFW-format pairs from an embeddings CSV (the facenet / LFW 10-fold protocol): "
            + "accuracy with per-fold thresholds, VAL@FAR=1e-3, AUC and EER. Works on embeddings from any model."
    })
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--pairs", paramLabel = "FILE", description = "Pairs file in LFW format (pairs.txt).")
    Path pairs;

    @Option(names = "--bin", paramLabel = "FILE.bin",
        description = "Or the pairs of an insightface verification file (lfw.bin, cfp_fp.bin, agedb_30.bin); its images are named FILE.bin#00000, FILE.bin#00001, ... in the CSV.")
    Path bin;

    @Option(names = "--embeddings", required = true, paramLabel = "FILE.csv",
        description = "Embeddings CSV: header path,e0,e1,..., one row per image, path relative to the dataset root (Name/Name_0001.jpg).")
    Path embeddings;

    @Mixin
    JsonFileOption json;

    @Mixin
    PairsExtensionOption extension;

    @Option(names = "--skip-missing", description = "Leave out pairs whose images have no embedding (and say how many) instead of failing.")
    boolean skipMissing;

    @Option(names = "--metric", defaultValue = "distance", paramLabel = "METRIC",
        description = "distance (squared L2 of normalised embeddings, the LFW protocol) or cosine (1 - cosine similarity); default: ${DEFAULT-VALUE}.")
    String metric;

    @Mixin
    FoldsOption foldsOption;

    @Option(names = "--far", defaultValue = "1e-3,1e-2", split = ",", paramLabel = "FAR",
        description = "Target false accept rates (each in [0, 1)) for the cosine-similarity threshold, with its fold-to-fold spread (default: ${DEFAULT-VALUE}).")
    double[] far;

    @Override
    public Integer call() {
        Metric m = Metric.parse(metric);
        int folds = foldsOption.folds();
        json.check();
        VerificationEvaluator evaluator = VerificationEvaluator.standard().withMetric(m).withFolds(folds);
        if ((pairs == null) == (bin == null)) throw new UserError("give the pairs with either --pairs FILE or --bin FILE.bin");
        List<LfwPairs.Pair> pairList;
        try {
            pairList = pairs != null ? LfwPairs.read(pairs).pairs() : InsightfaceBin.read(bin).pairList();
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        Embeddings emb = EmbeddingsCsv.read(embeddings);
        if (folds > pairList.size()) throw new UserError("--folds " + folds + " is more than the " + pairList.size() + " pairs of " + (pairs != null ? pairs : bin));
        VerificationPairs matched = VerificationPairs.match(pairList, pairs != null ? extension.ext : null, emb, skipMissing, embeddings.toString());
        VerificationResult result = evaluator.evaluate(matched);

        System.out.println("Verification on " + (pairs != null ? pairs : bin) + " with " + embeddings + " (" + emb.size() + " embeddings of dimension " + emb.dimension() + ")");
        if (matched.skipped() > 0) {
            System.out.println("Skipped " + matched.skipped() + " of " + pairList.size() + " pairs: "
                + matched.missingImages().size() + " images have no embedding");
        }
        System.out.print(result.summary());
        double[] similarities = matched.similarities();
        for (double target : far) {
            System.out.println("Threshold at " + FarThreshold.calibrate(similarities, matched.same(), folds, target).summary());
        }
        json.write("eval", result.toJson());
        return 0;
    }
}
