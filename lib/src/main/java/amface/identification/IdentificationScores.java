package amface.identification;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What every identification metric needs of a search of probes against a gallery, one entry per probe: whether the
 * probe's identity is enrolled (mated), the mate's score, the mate's rank and the best non-mate score. Built from
 * a full similarity matrix ({@link #fromMatrix}), from the top-k candidates an index returns ({@link #fromCandidates}),
 * or streamed block by block through a {@link ProbeRanker}; {@link Cmc}, {@link OpenSetIdentification} and
 * {@link DetCurve} read it.
 *
 * <p>Ranks are pessimistic: the mate's rank is 1 + the number of non-mate gallery entries scoring <em>at least</em>
 * as high as the mate, so a tie with an impostor counts against the probe (a search that returns the tied
 * impostor first is not wrong). A mate with several gallery entries is represented by its best one; other
 * entries are counted one by one, so give one entry per identity (pool them with {@link TemplatePooling}) for ranks
 * over identities. Ranks are exact up to {@link #depth()}; a rank of 0 means "beyond the depth" (or, from an
 * index, "the mate was not among the candidates").
 */
public final class IdentificationScores {
    /** Depth of an exhaustive search: every rank is exact. */
    public static final int EXHAUSTIVE = Integer.MAX_VALUE;

    private final boolean[] mated;
    private final double[] mateScore;
    private final int[] mateRank;
    private final double[] topNonMate;
    private final int depth;

    IdentificationScores(boolean[] mated, double[] mateScore, int[] mateRank, double[] topNonMate, int depth) {
        int n = mated.length;
        if (mateScore.length != n || mateRank.length != n || topNonMate.length != n) throw new IllegalArgumentException("arrays of different lengths");
        if (depth < 1) throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        this.mated = mated;
        this.mateScore = mateScore;
        this.mateRank = mateRank;
        this.topNonMate = topNonMate;
        this.depth = depth;
    }

    /**
     * From a full score matrix, {@code scores[probe][gallery]} (larger = more alike), with identity labels; a
     * probe is mated when its label is among the gallery's. Exhaustive: every rank is exact.
     */
    public static IdentificationScores fromMatrix(double[][] scores, int[] probeLabels, int[] galleryLabels) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length != probeLabels.length) throw new IllegalArgumentException(scores.length + " score rows but " + probeLabels.length + " probe labels");
        ProbeRanker ranker = ProbeRanker.forGallery(probeLabels, galleryLabels, EXHAUSTIVE);
        for (int p = 0; p < scores.length; p++) {
            if (scores[p].length != galleryLabels.length) {
                throw new IllegalArgumentException("score row " + p + " has " + scores[p].length + " values, the gallery " + galleryLabels.length);
            }
            for (int g = 0; g < galleryLabels.length; g++) ranker.offer(p, galleryLabels[g], scores[p][g]);
        }
        return ranker.result();
    }

    /**
     * From the candidates a search returned for each probe (any order; for an index, its top k), with the
     * identity label of each candidate. {@code mated[p]} says whether the probe's identity is enrolled at all (an
     * index may miss it). Ranks are exact up to the shortest candidate list; the best non-mate score is the best
     * among the candidates.
     */
    public static IdentificationScores fromCandidates(int[] probeLabels, boolean[] mated, int[][] candidateLabels, double[][] candidateScores) {
        int n = probeLabels.length;
        if (mated.length != n || candidateLabels.length != n || candidateScores.length != n) {
            throw new IllegalArgumentException("probe labels, mated flags and candidate lists differ in length");
        }
        int depth = EXHAUSTIVE;
        for (int[] c : candidateLabels) depth = Math.min(depth, c.length);
        if (depth < 1) throw new IllegalArgumentException("every probe needs at least one candidate");
        boolean[] m = mated.clone();
        double[] mateScore = new double[n], top = new double[n];
        int[] rank = new int[n];
        for (int p = 0; p < n; p++) {
            if (candidateScores[p].length != candidateLabels[p].length) throw new IllegalArgumentException("probe " + p + ": labels and scores differ in length");
            double best = Double.NaN, nonMate = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < candidateLabels[p].length; c++) {
                double s = requireFinite(candidateScores[p][c], p);
                if (candidateLabels[p][c] == probeLabels[p]) {
                    if (!m[p]) throw new IllegalArgumentException("probe " + p + " is marked not enrolled but candidate " + c + " has its label " + probeLabels[p]);
                    best = Double.isNaN(best) ? s : Math.max(best, s);
                } else {
                    nonMate = Math.max(nonMate, s);
                }
            }
            top[p] = nonMate;
            mateScore[p] = best;
            if (m[p] && !Double.isNaN(best)) {
                int above = 0;
                for (int c = 0; c < candidateLabels[p].length; c++) {
                    if (candidateLabels[p][c] != probeLabels[p] && candidateScores[p][c] >= best) above++;
                }
                rank[p] = above + 1 <= depth ? above + 1 : 0;
            }
        }
        return new IdentificationScores(m, mateScore, rank, top, depth);
    }

    static double requireFinite(double s, int probe) {
        if (!Double.isFinite(s)) throw new IllegalArgumentException("probe " + probe + " has score " + s);
        return s;
    }

    /** Probe labels that occur in the gallery. */
    static boolean[] enrolled(int[] probeLabels, int[] galleryLabels) {
        Set<Integer> gallery = new HashSet<>();
        for (int g : galleryLabels) gallery.add(g);
        boolean[] m = new boolean[probeLabels.length];
        for (int p = 0; p < m.length; p++) m[p] = gallery.contains(probeLabels[p]);
        return m;
    }

    public int probes() { return mated.length; }

    /** Ranks are exact up to this rank ({@link #EXHAUSTIVE} for a full search). */
    public int depth() { return depth; }

    public boolean mated(int probe) { return mated[probe]; }

    /** Number of mated probes (identity enrolled). */
    public int matedCount() {
        int n = 0;
        for (boolean b : mated) if (b) n++;
        return n;
    }

    public int nonMatedCount() { return probes() - matedCount(); }

    /** The mate's best score, NaN for a non-mated probe or a mate not among the candidates. */
    public double mateScore(int probe) { return mateScore[probe]; }

    /** The mate's pessimistic rank (1 = first), 0 when beyond {@link #depth()} or not found; 0 for non-mated probes. */
    public int mateRank(int probe) { return mateRank[probe]; }

    /** The best non-mate score (for a non-mated probe: its best score), -infinity when there is none. */
    public double topNonMate(int probe) { return topNonMate[probe]; }

    /** The best non-mate scores of the non-mated probes, the scores that set the FPIR. */
    public double[] nonMatedTopScores() {
        double[] s = new double[nonMatedCount()];
        int k = 0;
        for (int p = 0; p < probes(); p++) if (!mated[p]) s[k++] = topNonMate[p];
        return s;
    }

    /** The probes {@code keep} selects, in order (e.g. the probes of one trial or one fold). */
    public IdentificationScores subset(boolean[] keep) {
        if (keep.length != probes()) throw new IllegalArgumentException(keep.length + " flags for " + probes() + " probes");
        int n = 0;
        for (boolean b : keep) if (b) n++;
        boolean[] m = new boolean[n];
        double[] ms = new double[n], top = new double[n];
        int[] r = new int[n];
        for (int p = 0, k = 0; p < keep.length; p++) {
            if (!keep[p]) continue;
            m[k] = mated[p]; ms[k] = mateScore[p]; r[k] = mateRank[p]; top[k] = topNonMate[p];
            k++;
        }
        return new IdentificationScores(m, ms, r, top, depth);
    }

    @Override
    public String toString() {
        return "IdentificationScores[" + matedCount() + " mated + " + nonMatedCount() + " non-mated probes, depth "
            + (depth == EXHAUSTIVE ? "all" : Integer.toString(depth)) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentificationScores s && depth == s.depth && Arrays.equals(mated, s.mated) && Arrays.equals(mateScore, s.mateScore)
            && Arrays.equals(mateRank, s.mateRank) && Arrays.equals(topNonMate, s.topNonMate);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mateRank) * 31 + Arrays.hashCode(mateScore);
    }
}
