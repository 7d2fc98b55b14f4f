package amface.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * The LFW verification protocol of facenet's {@code lfw.evaluate}, on embeddings from any model.
 * <ul>
 * <li>Embeddings are L2-normalised (a zero vector stays zero); a pair's distance is {@link Metric#distance}.</li>
 * <li>{@link KFold} folds in pair order. Accuracy: for each fold the threshold is picked on the other folds from
 * the grid 0, 0.01, ..., 3.99 as the most accurate one (ties: the smallest); "same" means distance &lt; threshold.</li>
 * <li>ROC: TPR and FPR of the test folds averaged over folds on that grid; AUC and EER from the exact ROC over all
 * pairs at every distinct distance.</li>
 * <li>VAL@FAR: for each fold the largest threshold on the grid 0, 0.001, ..., 3.999 whose FAR on the other folds is
 * at most the target (facenet interpolates instead; the grid keeps it exact and reproducible).</li>
 * </ul>
 * Every count is taken by sorting, so 6000 pairs evaluate in milliseconds. Instances are immutable and thread-safe.
 */
public final class VerificationEvaluator {
    /** Accuracy / ROC grid: 0, 0.01, ..., 3.99 (numpy {@code arange(0, 4, 0.01)}). */
    static final int ACCURACY_GRID_SIZE = 400;
    static final double ACCURACY_GRID_STEP = 0.01;
    /** VAL grid: 0, 0.001, ..., 3.999. */
    static final int VAL_GRID_SIZE = 4000;
    static final double VAL_GRID_STEP = 0.001;

    private final int folds;
    private final Metric metric;
    private final double farTarget;

    private VerificationEvaluator(int folds, Metric metric, double farTarget) {
        this.folds = folds;
        this.metric = metric;
        this.farTarget = farTarget;
    }

    /** 10 folds, squared L2 distance, VAL at FAR 1e-3: the standard LFW report. */
    public static VerificationEvaluator standard() {
        return new VerificationEvaluator(10, Metric.DISTANCE, 1e-3);
    }

    public VerificationEvaluator withFolds(int folds) {
        if (folds < 2) throw new IllegalArgumentException("need at least 2 folds, got " + folds);
        return new VerificationEvaluator(folds, metric, farTarget);
    }

    public VerificationEvaluator withMetric(Metric metric) {
        return new VerificationEvaluator(folds, Objects.requireNonNull(metric, "metric"), farTarget);
    }

    public VerificationEvaluator withFarTarget(double farTarget) {
        if (!(farTarget >= 0 && farTarget <= 1)) throw new IllegalArgumentException("FAR target must be in [0, 1], got " + farTarget);
        return new VerificationEvaluator(folds, metric, farTarget);
    }

    public int folds() { return folds; }

    public Metric metric() { return metric; }

    public double farTarget() { return farTarget; }

    /** Evaluates pairs matched with their embeddings. */
    public VerificationResult evaluate(VerificationPairs pairs) {
        return evaluateDistances(pairs.distances(metric), pairs.same());
    }

    /** Evaluates pair i = (left[i], right[i]) with label same[i]; the embeddings need not be normalised. */
    public VerificationResult evaluate(float[][] left, float[][] right, boolean[] same) {
        if (left.length != right.length || left.length != same.length) {
            throw new IllegalArgumentException("left, right and same differ in length: " + left.length + ", " + right.length + ", " + same.length);
        }
        double[] d = new double[left.length];
        for (int i = 0; i < d.length; i++) {
            if (left[i].length != right[i].length) {
                throw new IllegalArgumentException("pair " + i + ": embeddings have different dimensions, " + left[i].length + " and " + right[i].length);
            }
            d[i] = metric.distance(normalised(left[i]), normalised(right[i]));
        }
        return evaluateDistances(d, same);
    }

    /** Evaluates precomputed distances (smaller = more alike) with their labels. */
    public VerificationResult evaluateDistances(double[] distances, boolean[] same) {
        int n = distances.length;
        if (same.length != n) throw new IllegalArgumentException(n + " distances but " + same.length + " labels");
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(distances[i])) throw new IllegalArgumentException("pair " + i + " has distance " + distances[i]);
            if (same[i]) positives++;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("verification needs both same and different pairs, got " + positives + " same of " + n);
        }
        KFold kfold = KFold.of(n, folds);

        // Accuracy and the fold-averaged ROC on the 0.01 grid.
        Counts acc = Counts.of(distances, same, kfold, ACCURACY_GRID_SIZE, ACCURACY_GRID_STEP);
        double[] foldAccuracy = new double[folds];
        double[] foldThreshold = new double[folds];
        double[] meanTpr = new double[ACCURACY_GRID_SIZE];
        double[] meanFpr = new double[ACCURACY_GRID_SIZE];
        for (int f = 0; f < folds; f++) {
            int best = 0;
            long bestCorrect = -1;
            for (int i = 0; i < ACCURACY_GRID_SIZE; i++) {
                long correct = acc.trainTruePositives(f, i) + acc.trainNegatives(f) - acc.trainFalsePositives(f, i);
                if (correct > bestCorrect) { bestCorrect = correct; best = i; }
            }
            foldThreshold[f] = acc.threshold(best);
            foldAccuracy[f] = (double) (acc.testTruePositives(f, best) + acc.testNegatives(f) - acc.testFalsePositives(f, best)) / kfold.size(f);
            for (int i = 0; i < ACCURACY_GRID_SIZE; i++) {
                meanTpr[i] += rate(acc.testTruePositives(f, i), acc.testPositives(f));
                meanFpr[i] += rate(acc.testFalsePositives(f, i), acc.testNegatives(f));
            }
        }
        double[] gridThresholds = new double[ACCURACY_GRID_SIZE];
        for (int i = 0; i < ACCURACY_GRID_SIZE; i++) {
            meanTpr[i] /= folds;
            meanFpr[i] /= folds;
            gridThresholds[i] = acc.threshold(i);
        }

        // VAL at the FAR target on the 0.001 grid.
        Counts val = Counts.of(distances, same, kfold, VAL_GRID_SIZE, VAL_GRID_STEP);
        double[] foldVal = new double[folds];
        double[] foldFar = new double[folds];
        double[] foldValThreshold = new double[folds];
        for (int f = 0; f < folds; f++) {
            int chosen = 0; // threshold 0 when no grid threshold keeps the training FAR at the target
            for (int i = VAL_GRID_SIZE - 1; i >= 0; i--) {
                if (rate(val.trainFalsePositives(f, i), val.trainNegatives(f)) <= farTarget) { chosen = i; break; }
            }
            foldValThreshold[f] = val.threshold(chosen);
            foldVal[f] = rate(val.testTruePositives(f, chosen), val.testPositives(f));
            foldFar[f] = rate(val.testFalsePositives(f, chosen), val.testNegatives(f));
        }

        RocCurve exact = exactRoc(distances, same, positives);
        return new VerificationResult(metric, kfold, farTarget, distances.clone(), same.clone(),
            foldAccuracy, foldThreshold, new RocCurve(meanFpr, meanTpr, gridThresholds),
            foldVal, foldFar, foldValThreshold, exact, exact.area(), exact.equalErrorRate());
    }

    /** The ROC at every distinct distance: the curve scikit-learn's {@code roc_curve} gives for score = -distance. */
    static RocCurve exactRoc(double[] distances, boolean[] same, int positives) {
        int n = distances.length;
        int negatives = n - positives;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(distances[a], distances[b]));
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        double[] thr = new double[n + 1];
        thr[0] = Double.NEGATIVE_INFINITY;
        int points = 1;
        long tp = 0, fp = 0;
        for (int k = 0; k < n; ) {
            double d = distances[order[k]];
            while (k < n && distances[order[k]] == d) {
                if (same[order[k]]) tp++; else fp++;
                k++;
            }
            fpr[points] = (double) fp / negatives;
            tpr[points] = (double) tp / positives;
            thr[points] = d;
            points++;
        }
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points));
    }

    static double[] normalised(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        double norm = Math.sqrt(s);
        double[] out = new double[v.length];
        if (norm == 0) return out;
        for (int i = 0; i < v.length; i++) out[i] = v[i] / norm;
        return out;
    }

    private static double rate(long count, long total) {
        return total == 0 ? 0 : (double) count / total;
    }

    /**
     * Per fold, how many same / different pairs are predicted "same" at each grid threshold, from one pass:
     * a pair is predicted "same" at every grid index from the first threshold above its distance onwards.
     */
    private static final class Counts {
        private final int gridSize;
        private final double step;
        private final long[][] tpAt;   // [fold][i]: same pairs of the fold with distance < threshold i
        private final long[][] fpAt;   // [fold][i]: different pairs of the fold with distance < threshold i
        private final long[] tpAll;
        private final long[] fpAll;
        private final long[] pos;
        private final long[] neg;

        private Counts(int gridSize, double step, int folds) {
            this.gridSize = gridSize;
            this.step = step;
            tpAt = new long[folds][gridSize + 1];
            fpAt = new long[folds][gridSize + 1];
            tpAll = new long[gridSize];
            fpAll = new long[gridSize];
            pos = new long[folds];
            neg = new long[folds];
        }

        static Counts of(double[] distances, boolean[] same, KFold kfold, int gridSize, double step) {
            Counts c = new Counts(gridSize, step, kfold.folds());
            for (int f = 0; f < kfold.folds(); f++) {
                long[] tp = c.tpAt[f], fp = c.fpAt[f];
                for (int i = kfold.start(f); i < kfold.end(f); i++) {
                    int first = c.firstAbove(distances[i]);
                    if (same[i]) { tp[first]++; c.pos[f]++; } else { fp[first]++; c.neg[f]++; }
                }
                for (int i = 1; i <= gridSize; i++) { tp[i] += tp[i - 1]; fp[i] += fp[i - 1]; }
                for (int i = 0; i < gridSize; i++) { c.tpAll[i] += tp[i]; c.fpAll[i] += fp[i]; }
            }
            return c;
        }

        double threshold(int i) { return i * step; }

        /** The first grid index whose threshold is strictly above {@code d} ({@code gridSize} if none). */
        int firstAbove(double d) {
            int lo = 0, hi = gridSize;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (d < threshold(mid)) hi = mid; else lo = mid + 1;
            }
            return lo;
        }

        long testTruePositives(int f, int i) { return tpAt[f][i]; }

        long testFalsePositives(int f, int i) { return fpAt[f][i]; }

        long testPositives(int f) { return pos[f]; }

        long testNegatives(int f) { return neg[f]; }

        long trainTruePositives(int f, int i) { return tpAll[i] - tpAt[f][i]; }

        long trainFalsePositives(int f, int i) { return fpAll[i] - fpAt[f][i]; }

        long trainNegatives(int f) {
            long all = 0;
            for (long x : neg) all += x;
            return all - neg[f];
        }
    }
}
