package amface.identification;

import java.util.Arrays;
import java.util.Locale;

/**
 * Open-set identification as NIST FRVT and IJB-C define it: a mated probe is a true positive identification when
 * its mate ranks at most R <em>and</em> scores at least the threshold; a non-mated probe is a false positive when
 * its best score reaches the threshold. FPIR = false positives / non-mated probes, TPIR = true positives / mated
 * probes, FNIR = 1 - TPIR.
 *
 * <p>The threshold at a target FPIR f is the lowest one whose FPIR does not exceed f. With the non-mated probes'
 * best scores sorted from the top, s(1) &gt;= s(2) &gt;= ..., and a = the most false positives allowed (the largest
 * a with a / N &lt;= f), that is any value just above s(a+1): a probe is accepted when its score is <em>strictly
 * greater</em> than s(a+1) (the same rule as {@code amface.eval.FarThreshold}). A mated probe scoring exactly
 * s(a+1) is rejected, so ties count against, as for ranks. f = 1 accepts everything.
 * <pre>{@code
 * OpenSetIdentification.Point p = OpenSetIdentification.tpirAtFpir(scores, 1e-2, 1);
 * p.tpir(); p.fpir(); p.threshold();
 * }</pre>
 */
public final class OpenSetIdentification {
    private OpenSetIdentification() { }

    /** One operating point: accept when score &gt; threshold (-infinity: accept all). */
    public record Point(double targetFpir, int rank, double threshold, double fpir, double tpir) {
        public double fnir() { return 1 - tpir; }

        public String summary() {
            return String.format(Locale.ROOT, "TPIR@FPIR=%.0e (rank %d): %.4f (threshold %.4f, FPIR %.2e)", targetFpir, rank, tpir, threshold, fpir);
        }
    }

    /** TPIR at the target FPIR for mates at rank at most {@code rank}. */
    public static Point tpirAtFpir(IdentificationScores scores, double targetFpir, int rank) {
        if (!(targetFpir >= 0 && targetFpir <= 1)) throw new IllegalArgumentException("target FPIR must be in [0, 1], got " + targetFpir);
        double[] nonMated = sortedNonMated(scores);
        int n = nonMated.length;
        long allowed = ImpostorTail.allowed(targetFpir, n);
        double threshold = allowed >= n ? Double.NEGATIVE_INFINITY : nonMated[(int) (n - 1 - allowed)];
        return new Point(targetFpir, rank, threshold, fpir(nonMated, threshold), tpir(scores, threshold, rank));
    }

    static double[] sortedNonMated(IdentificationScores scores) {
        double[] s = scores.nonMatedTopScores();
        if (s.length == 0) throw new IllegalArgumentException("no non-mated probe: an FPIR needs probes whose identity is not enrolled");
        Arrays.sort(s);
        return s;
    }

    private static double fpir(double[] sortedNonMated, double threshold) {
        int above = sortedNonMated.length - upperBound(sortedNonMated, threshold);
        return (double) above / sortedNonMated.length;
    }

    /** Share of mated probes with 1 &lt;= rank &lt;= maxRank and mate score &gt; threshold. */
    static double tpir(IdentificationScores scores, double threshold, int maxRank) {
        if (maxRank < 1 || maxRank > scores.depth()) throw new IllegalArgumentException("rank " + maxRank + " is outside 1.." + scores.depth());
        int mated = scores.matedCount();
        if (mated == 0) throw new IllegalArgumentException("no mated probe: a TPIR needs probes whose identity is enrolled");
        int hits = 0;
        for (int p = 0; p < scores.probes(); p++) {
            int r = scores.mateRank(p);
            if (scores.mated(p) && r >= 1 && r <= maxRank && scores.mateScore(p) > threshold) hits++;
        }
        return (double) hits / mated;
    }

    /** Index of the first element &gt; value in a sorted array. */
    static int upperBound(double[] sorted, double value) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
