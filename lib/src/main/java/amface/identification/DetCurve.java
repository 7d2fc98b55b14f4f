package amface.identification;

import java.util.Arrays;

/**
 * The open-set DET curve: FNIR against FPIR at rank R as the threshold sweeps every distinct score (accept when
 * score &gt; threshold, see {@link OpenSetIdentification}), from accepting all (FPIR 1) to accepting none. Points
 * are in order of increasing threshold; FPIR falls, FNIR rises.
 */
public final class DetCurve {
    private final int rank;
    private final double[] threshold;
    private final double[] fpir;
    private final double[] fnir;

    private DetCurve(int rank, double[] threshold, double[] fpir, double[] fnir) {
        this.rank = rank;
        this.threshold = threshold;
        this.fpir = fpir;
        this.fnir = fnir;
    }

    public static DetCurve of(IdentificationScores scores, int rank) {
        double[] nonMated = OpenSetIdentification.sortedNonMated(scores);
        if (rank < 1 || rank > scores.depth()) throw new IllegalArgumentException("rank " + rank + " is outside 1.." + scores.depth());
        int mated = scores.matedCount();
        if (mated == 0) throw new IllegalArgumentException("no mated probe: a DET curve needs probes whose identity is enrolled");
        // The mate scores of the probes identified within the rank: only they can be true positives.
        double[] hits = new double[mated];
        int h = 0;
        for (int p = 0; p < scores.probes(); p++) {
            int r = scores.mateRank(p);
            if (scores.mated(p) && r >= 1 && r <= rank) hits[h++] = scores.mateScore(p);
        }
        hits = Arrays.copyOf(hits, h);
        Arrays.sort(hits);
        double[] all = new double[nonMated.length + hits.length];
        System.arraycopy(nonMated, 0, all, 0, nonMated.length);
        System.arraycopy(hits, 0, all, nonMated.length, hits.length);
        double[] distinct = Arrays.stream(all).sorted().distinct().toArray();
        int n = distinct.length + 1;
        double[] t = new double[n], fp = new double[n], fn = new double[n];
        t[0] = Double.NEGATIVE_INFINITY;
        System.arraycopy(distinct, 0, t, 1, distinct.length);
        for (int i = 0; i < n; i++) {
            fp[i] = (double) (nonMated.length - OpenSetIdentification.upperBound(nonMated, t[i])) / nonMated.length;
            fn[i] = 1 - (double) (hits.length - OpenSetIdentification.upperBound(hits, t[i])) / mated;
        }
        return new DetCurve(rank, t, fp, fn);
    }

    public int rank() { return rank; }

    public int size() { return threshold.length; }

    public double threshold(int i) { return threshold[i]; }

    public double fpir(int i) { return fpir[i]; }

    public double fnir(int i) { return fnir[i]; }

    public double[] fpir() { return fpir.clone(); }

    public double[] fnir() { return fnir.clone(); }

    public double[] thresholds() { return threshold.clone(); }
}
