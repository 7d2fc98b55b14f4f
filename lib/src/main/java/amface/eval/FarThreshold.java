package amface.eval;

import static amface.eval.PopulationStats.mean;
import static amface.eval.PopulationStats.std;

import java.util.Arrays;
import java.util.Locale;

/**
 * The cosine-similarity threshold at a target false accept rate, with its fold-to-fold uncertainty: "same" when
 * similarity &gt; threshold. On a set of impostor similarities the threshold is the smallest one whose FAR (impostors
 * strictly above it, divided by their number) is at most the target; that is always one of the impostor
 * similarities. For each of the {@link KFold} folds it is chosen on the other folds and FAR / TAR are measured on
 * the fold left out; {@link #threshold()} itself is chosen on all pairs (what {@code amface calibrate} stores).
 * With few impostors per fold the held-out FAR moves in steps of one impostor: 300 impostors per LFW fold give
 * steps of 0.0033, so at 1e-3 the spread says more than the mean.
 * <pre>{@code
 * FarThreshold t = FarThreshold.calibrate(pairs.similarities(), pairs.same(), 10, 1e-3);
 * t.threshold(); t.far(); t.farStd(); t.tar(); t.tarStd(); t.summary();
 * }</pre>
 */
public final class FarThreshold {
    private final double targetFar;
    private final double threshold;
    private final int pairs;
    private final double[] foldThreshold;
    private final double[] foldFar;
    private final double[] foldTar;

    private FarThreshold(double targetFar, double threshold, int pairs, double[] foldThreshold, double[] foldFar, double[] foldTar) {
        this.targetFar = targetFar;
        this.threshold = threshold;
        this.pairs = pairs;
        this.foldThreshold = foldThreshold;
        this.foldFar = foldFar;
        this.foldTar = foldTar;
    }

    /**
     * Chooses the threshold at {@code targetFar} for pair similarities (larger = more alike) and labels, over
     * {@code folds} contiguous folds in pair order. Every training set (all pairs but one fold) needs an impostor.
     */
    public static FarThreshold calibrate(double[] similarity, boolean[] same, int folds, double targetFar) {
        int n = similarity.length;
        if (same.length != n) throw new IllegalArgumentException(n + " similarities but " + same.length + " labels");
        if (!(targetFar >= 0 && targetFar < 1)) throw new IllegalArgumentException("target FAR must be in [0, 1), got " + targetFar);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(similarity[i])) throw new IllegalArgumentException("pair " + i + " has similarity " + similarity[i]);
        }
        KFold kfold = KFold.of(n, folds);
        double[] foldThreshold = new double[folds];
        double[] foldFar = new double[folds];
        double[] foldTar = new double[folds];
        for (int f = 0; f < folds; f++) {
            boolean[] train = new boolean[n];
            Arrays.fill(train, true);
            for (int i = kfold.start(f); i < kfold.end(f); i++) train[i] = false;
            double t = thresholdAt(similarity, same, train, targetFar, "the pairs outside fold " + (f + 1));
            foldThreshold[f] = t;
            long impostors = 0, falseAccepts = 0, genuine = 0, trueAccepts = 0;
            for (int i = kfold.start(f); i < kfold.end(f); i++) {
                boolean accepted = similarity[i] > t;
                if (same[i]) { genuine++; if (accepted) trueAccepts++; } else { impostors++; if (accepted) falseAccepts++; }
            }
            foldFar[f] = impostors == 0 ? 0 : (double) falseAccepts / impostors;
            foldTar[f] = genuine == 0 ? 0 : (double) trueAccepts / genuine;
        }
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        return new FarThreshold(targetFar, thresholdAt(similarity, same, all, targetFar, "the pairs"), n, foldThreshold, foldFar, foldTar);
    }

    /** The smallest impostor similarity t among {@code use} with #{impostors &gt; t} / #impostors &lt;= target. */
    private static double thresholdAt(double[] similarity, boolean[] same, boolean[] use, double targetFar, String what) {
        int count = 0;
        for (int i = 0; i < same.length; i++) if (use[i] && !same[i]) count++;
        if (count == 0) throw new IllegalArgumentException(what + " hold no different-person pair: a FAR needs impostors");
        double[] impostors = new double[count];
        int k = 0;
        for (int i = 0; i < same.length; i++) if (use[i] && !same[i]) impostors[k++] = similarity[i];
        Arrays.sort(impostors);
        // allowed = the largest number of false accepts with allowed / count <= target (checked, not rounded).
        int allowed = (int) Math.floor(targetFar * count);
        while (allowed + 1 < count && (double) (allowed + 1) / count <= targetFar) allowed++;
        while (allowed > 0 && (double) allowed / count > targetFar) allowed--;
        // The (allowed + 1)-th largest: at most `allowed` impostors lie strictly above it (fewer when tied).
        return impostors[count - 1 - allowed];
    }

    public double targetFar() { return targetFar; }

    /** The threshold chosen on all pairs. */
    public double threshold() { return threshold; }

    public int pairs() { return pairs; }

    public int folds() { return foldThreshold.length; }

    public double[] foldThreshold() { return foldThreshold.clone(); }

    public double[] foldFar() { return foldFar.clone(); }

    public double[] foldTar() { return foldTar.clone(); }

    /** Population standard deviation of the fold thresholds: how much the threshold moves with the data. */
    public double thresholdStd() { return std(foldThreshold); }

    /** Mean FAR on the held-out folds. */
    public double far() { return mean(foldFar); }

    public double farStd() { return std(foldFar); }

    /** Mean TAR (true accept rate) on the held-out folds. */
    public double tar() { return mean(foldTar); }

    public double tarStd() { return std(foldTar); }

    /** One line: {@code FAR 1e-03: threshold 0.4123 (± 0.0150 over folds), held-out FAR 0.0010 ± 0.0013, TAR 0.9170 ± 0.0210}. */
    public String summary() {
        return String.format(Locale.ROOT, "FAR %.0e: threshold %.4f (± %.4f over %d folds), held-out FAR %.4f ± %.4f, TAR %.4f ± %.4f",
            targetFar, threshold, thresholdStd(), folds(), far(), farStd(), tar(), tarStd());
    }

    @Override
    public String toString() {
        return "FarThreshold[" + summary() + "]";
    }
}
