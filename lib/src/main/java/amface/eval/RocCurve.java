package amface.eval;

/**
 * A ROC curve as points (false positive rate, true positive rate), FPR non-decreasing, with the distance
 * threshold of each point ("same" when distance &lt; threshold for the fold-averaged grid curve, distance &lt;= it
 * for the exact curve).
 */
public final class RocCurve {
    private final double[] fpr;
    private final double[] tpr;
    private final double[] thresholds;

    RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
        if (fpr.length != tpr.length || fpr.length != thresholds.length) throw new IllegalArgumentException("ROC arrays differ in length");
        this.fpr = fpr;
        this.tpr = tpr;
        this.thresholds = thresholds;
    }

    public int size() { return fpr.length; }

    public double[] fpr() { return fpr.clone(); }

    public double[] tpr() { return tpr.clone(); }

    public double[] thresholds() { return thresholds.clone(); }

    public double fpr(int i) { return fpr[i]; }

    public double tpr(int i) { return tpr[i]; }

    public double threshold(int i) { return thresholds[i]; }

    /** Area under the curve by the trapezoid rule (points must be in order of rising FPR). */
    public double area() {
        double a = 0;
        for (int i = 1; i < fpr.length; i++) a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return a;
    }

    /**
     * Equal error rate: where the false rejection rate 1 - TPR meets the FPR, with both interpolated linearly
     * between neighbouring points of the curve.
     */
    public double equalErrorRate() {
        double prev = fpr[0] - (1 - tpr[0]);
        if (prev >= 0) return fpr[0];
        for (int i = 1; i < fpr.length; i++) {
            double cur = fpr[i] - (1 - tpr[i]);
            if (cur >= 0) {
                double t = prev / (prev - cur);
                return fpr[i - 1] + t * (fpr[i] - fpr[i - 1]);
            }
            prev = cur;
        }
        return fpr[fpr.length - 1];
    }
}
