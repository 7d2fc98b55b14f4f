package amface.eval;

import static amface.eval.PopulationStats.mean;
import static amface.eval.PopulationStats.std;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@link VerificationEvaluator}: per-fold accuracy and thresholds, the fold-averaged ROC on the
 * threshold grid, VAL@FAR, and AUC / EER of the exact ROC; also the distances and labels, for plots and for the
 * hardest mistakes. Immutable (accessors return copies).
 */
public final class VerificationResult {
    private final Metric metric;
    private final KFold kfold;
    private final double farTarget;
    private final double[] distances;
    private final boolean[] same;
    private final double[] foldAccuracy;
    private final double[] foldThreshold;
    private final RocCurve roc;
    private final double[] foldVal;
    private final double[] foldFar;
    private final double[] foldValThreshold;
    private final RocCurve exactRoc;
    private final double auc;
    private final double eer;

    VerificationResult(Metric metric, KFold kfold, double farTarget, double[] distances, boolean[] same,
                       double[] foldAccuracy, double[] foldThreshold, RocCurve roc,
                       double[] foldVal, double[] foldFar, double[] foldValThreshold,
                       RocCurve exactRoc, double auc, double eer) {
        this.metric = metric;
        this.kfold = kfold;
        this.farTarget = farTarget;
        this.distances = distances;
        this.same = same;
        this.foldAccuracy = foldAccuracy;
        this.foldThreshold = foldThreshold;
        this.roc = roc;
        this.foldVal = foldVal;
        this.foldFar = foldFar;
        this.foldValThreshold = foldValThreshold;
        this.exactRoc = exactRoc;
        this.auc = auc;
        this.eer = eer;
    }

    public Metric metric() { return metric; }

    public int pairs() { return distances.length; }

    public int folds() { return kfold.folds(); }

    /** The folds: which pairs each one tests. */
    public KFold kfold() { return kfold; }

    public double farTarget() { return farTarget; }

    /** Each pair's distance, in pair order. */
    public double[] distances() { return distances.clone(); }

    /** Each pair's label (true = same person), in pair order. */
    public boolean[] same() { return same.clone(); }

    public double[] foldAccuracy() { return foldAccuracy.clone(); }

    public double[] foldThreshold() { return foldThreshold.clone(); }

    /** Mean test accuracy over folds. */
    public double accuracyMean() { return mean(foldAccuracy); }

    /** Population standard deviation of the test accuracy over folds. */
    public double accuracyStd() { return std(foldAccuracy); }

    /** Mean of the folds' accuracy thresholds (where to draw "the" threshold on a plot). */
    public double meanThreshold() { return mean(foldThreshold); }

    /** TPR and FPR of the test folds averaged over folds at each threshold of the 0.01 grid (facenet's ROC). */
    public RocCurve roc() { return roc; }

    /** The ROC over all pairs at every distinct distance (AUC and EER come from it). */
    public RocCurve exactRoc() { return exactRoc; }

    public double[] foldVal() { return foldVal.clone(); }

    public double[] foldFar() { return foldFar.clone(); }

    public double[] foldValThreshold() { return foldValThreshold.clone(); }

    /** Mean validation rate (TPR) at the FAR target over folds. */
    public double val() { return mean(foldVal); }

    public double valStd() { return std(foldVal); }

    /** Mean FAR of the test folds at their VAL thresholds. */
    public double far() { return mean(foldFar); }

    public double auc() { return auc; }

    public double eer() { return eer; }

    /** Number of false accepts + false rejects over all test folds. */
    public int errors() {
        return hardest(Integer.MAX_VALUE, true).size() + hardest(Integer.MAX_VALUE, false).size();
    }

    /** Up to {@code n} different-person pairs accepted in their test fold, smallest distance (worst) first. */
    public List<MisjudgedPair> hardestFalseAccepts(int n) { return hardest(n, false); }

    /** Up to {@code n} same-person pairs rejected in their test fold, largest distance (worst) first. */
    public List<MisjudgedPair> hardestFalseRejects(int n) { return hardest(n, true); }

    private List<MisjudgedPair> hardest(int n, boolean sameLabel) {
        List<MisjudgedPair> out = new ArrayList<>();
        for (int i = 0; i < distances.length; i++) {
            if (same[i] != sameLabel) continue;
            int f = kfold.foldOf(i);
            double t = foldThreshold[f];
            boolean predictedSame = distances[i] < t;
            if (predictedSame != same[i]) out.add(new MisjudgedPair(i, same[i], distances[i], t, f));
        }
        out.sort(Comparator.comparingDouble(MisjudgedPair::margin).reversed().thenComparingInt(MisjudgedPair::index));
        return out.size() > n ? List.copyOf(out.subList(0, n)) : List.copyOf(out);
    }

    /**
     * {@code {"pairs": n, "acc_mean", "acc_std", "fold_acc": [...], "fold_threshold": [...], "val", "val_std",
     * "far", "auc", "eer"}}, numbers as exact (round-trip) decimals.
     */
    public String toJson() {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"pairs\": ").append(pairs()).append(",\n");
        s.append("  \"acc_mean\": ").append(num(accuracyMean())).append(",\n");
        s.append("  \"acc_std\": ").append(num(accuracyStd())).append(",\n");
        s.append("  \"fold_acc\": ").append(array(foldAccuracy)).append(",\n");
        s.append("  \"fold_threshold\": ").append(array(foldThreshold)).append(",\n");
        s.append("  \"val\": ").append(num(val())).append(",\n");
        s.append("  \"val_std\": ").append(num(valStd())).append(",\n");
        s.append("  \"far\": ").append(num(far())).append(",\n");
        s.append("  \"auc\": ").append(num(auc)).append(",\n");
        s.append("  \"eer\": ").append(num(eer)).append("\n");
        return s.append("}\n").toString();
    }

    /** Writes {@link #toJson()} to {@code file} atomically (a temporary file renamed into place). */
    public void writeJson(java.nio.file.Path file) {
        String json = toJson();
        try {
            amface.io.AtomicFile.writeString(file, json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A few lines for people: accuracy, VAL@FAR, AUC, EER, then one line per fold. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d pairs, %d folds, %s%n", pairs(), folds(), metric.description()));
        s.append(String.format(Locale.ROOT, "accuracy  %.4f +- %.4f%n", accuracyMean(), accuracyStd()));
        s.append(String.format(Locale.ROOT, "VAL       %.4f +- %.4f @ FAR %.5f (target %s)%n", val(), valStd(), far(), farTarget));
        s.append(String.format(Locale.ROOT, "AUC       %.5f%n", auc));
        s.append(String.format(Locale.ROOT, "EER       %.5f%n", eer));
        s.append("fold  pairs  accuracy  threshold\n");
        for (int f = 0; f < folds(); f++) {
            s.append(String.format(Locale.ROOT, "%4d  %5d  %.4f    %.2f%n", f + 1, kfold.size(f), foldAccuracy[f], foldThreshold[f]));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VerificationResult[%d pairs, acc %.4f +- %.4f, VAL %.4f @ FAR %.5f, AUC %.5f, EER %.5f]",
            pairs(), accuracyMean(), accuracyStd(), val(), far(), auc, eer);
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) throw new IllegalStateException("non-finite figure " + v);
        return Double.toString(v);
    }

    private static String array(double[] x) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < x.length; i++) s.append(i == 0 ? "" : ", ").append(num(x[i]));
        return s.append(']').toString();
    }
}
