package amface.identification;

/**
 * Streams the scores of probes against a gallery, block by block, keeping per probe only the mate's best score and
 * the {@code depth} best non-mate scores: memory is probes x depth, whatever the gallery size (a million
 * distractors included). {@link #result()} gives the {@link IdentificationScores}, ranks pessimistic (ties with a
 * non-mate count against) and exact up to the depth.
 * <pre>{@code
 * ProbeRanker r = ProbeRanker.forGallery(probeLabels, galleryLabels, 20);
 * for (each block of gallery entries) r.offerBlock(scores, blockLabels);   // scores[probe][entry in block]
 * r.offerDistractors(distractorScores);                                    // entries of no enrolled identity
 * IdentificationScores s = r.result();
 * }</pre>
 */
public final class ProbeRanker {
    /** The label of a distractor: an entry of nobody's identity. */
    public static final int NO_IDENTITY = Integer.MIN_VALUE;

    private final int[] probeLabels;
    private final boolean[] mated;
    private final int depth;
    private final double[] mateScore;
    private final TopScores[] nonMates;

    private ProbeRanker(int[] probeLabels, boolean[] mated, int depth) {
        if (depth < 1) throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        if (mated.length != probeLabels.length) throw new IllegalArgumentException(probeLabels.length + " probe labels but " + mated.length + " mated flags");
        for (int l : probeLabels) if (l == NO_IDENTITY) throw new IllegalArgumentException("a probe has the distractor label");
        this.probeLabels = probeLabels.clone();
        this.mated = mated.clone();
        this.depth = depth;
        this.mateScore = new double[probeLabels.length];
        java.util.Arrays.fill(mateScore, Double.NaN);
        this.nonMates = new TopScores[probeLabels.length];
    }

    /**
     * A ranker whose probes are mated when their label is in {@code galleryLabels} (the enrolled identities).
     * {@code depth} = {@link IdentificationScores#EXHAUSTIVE} keeps every score (only for small galleries).
     */
    public static ProbeRanker forGallery(int[] probeLabels, int[] galleryLabels, int depth) {
        return new ProbeRanker(probeLabels, IdentificationScores.enrolled(probeLabels, galleryLabels), depth);
    }

    /** A ranker told directly which probes are mated. */
    public static ProbeRanker of(int[] probeLabels, boolean[] mated, int depth) {
        return new ProbeRanker(probeLabels, mated, depth);
    }

    public int probes() { return probeLabels.length; }

    public int depth() { return depth; }

    private TopScores nonMates(int probe) {
        TopScores t = nonMates[probe];
        if (t == null) nonMates[probe] = t = new TopScores(depth == IdentificationScores.EXHAUSTIVE ? 16 : depth);
        return t;
    }

    /** One score of {@code probe} against a gallery entry of identity {@code galleryLabel}. */
    public void offer(int probe, int galleryLabel, double score) {
        IdentificationScores.requireFinite(score, probe);
        if (galleryLabel == probeLabels[probe]) {
            if (!mated[probe]) throw new IllegalArgumentException("probe " + probe + " is marked not enrolled but met a gallery entry of its identity " + galleryLabel);
            mateScore[probe] = Double.isNaN(mateScore[probe]) ? score : Math.max(mateScore[probe], score);
        } else {
            TopScores t = nonMates(probe);
            if (depth == IdentificationScores.EXHAUSTIVE && t.size() == t.capacity()) nonMates[probe] = t = grow(t);
            t.offer(score);
        }
    }

    private static TopScores grow(TopScores t) {
        TopScores bigger = new TopScores(t.capacity() * 2);
        for (double s : t.descending()) bigger.offer(s);
        return bigger;
    }

    /** Scores of every probe ({@code scores[probe][j]}) against a block of gallery entries labelled {@code blockLabels}. */
    public void offerBlock(float[][] scores, int[] blockLabels) {
        if (scores.length != probes()) throw new IllegalArgumentException(scores.length + " score rows for " + probes() + " probes");
        for (int p = 0; p < scores.length; p++) {
            if (scores[p].length != blockLabels.length) throw new IllegalArgumentException("score row " + p + " has " + scores[p].length + " values for " + blockLabels.length + " entries");
            for (int j = 0; j < blockLabels.length; j++) offer(p, blockLabels[j], scores[p][j]);
        }
    }

    /** Scores of every probe against a block of distractors (entries of no enrolled identity). */
    public void offerDistractors(float[][] scores) {
        if (scores.length != probes()) throw new IllegalArgumentException(scores.length + " score rows for " + probes() + " probes");
        for (int p = 0; p < scores.length; p++) {
            TopScores t = nonMates(p);
            for (float s : scores[p]) {
                if (depth == IdentificationScores.EXHAUSTIVE && t.size() == t.capacity()) nonMates[p] = t = grow(t);
                IdentificationScores.requireFinite(s, p);
                if (s > t.floor()) t.offer(s);
            }
        }
    }

    /** The scores so far (the ranker can go on streaming: distractor counts can be read at checkpoints). */
    public IdentificationScores result() {
        int n = probes();
        double[] top = new double[n];
        int[] rank = new int[n];
        for (int p = 0; p < n; p++) {
            TopScores t = nonMates[p];
            top[p] = t == null ? Double.NEGATIVE_INFINITY : t.max();
            if (mated[p] && !Double.isNaN(mateScore[p])) {
                int above = t == null ? 0 : t.countAtLeast(mateScore[p]);
                // All kept scores at least the mate's: more may have been dropped, the rank is beyond the depth.
                boolean full = t != null && depth != IdentificationScores.EXHAUSTIVE && above == t.capacity();
                rank[p] = full ? 0 : above + 1;
            }
        }
        return new IdentificationScores(mated.clone(), mateScore.clone(), rank, top, depth);
    }

    @Override
    public String toString() {
        return "ProbeRanker[" + probes() + " probes, depth " + depth + "]";
    }
}
