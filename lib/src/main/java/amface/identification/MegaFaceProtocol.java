package amface.identification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import amface.data.Progress;

/**
 * The MegaFace challenge-1 protocol (Kemelmacher-Shlizerman et al. 2016) on any probe set and distractor stream.
 * For every identity of the probe set (FaceScrub in the original) each of its images in turn is the one gallery
 * image among N distractors and every other image of the identity is a probe: an ordered (probe, gallery) pair of
 * one identity is identified at rank r when at most r - 1 distractors score at least as high as the gallery image
 * (ties count against). Rank-1 (and the CMC to {@code maxRank}) are reported at each N (10, 100, ... 1 M); the
 * distractor sets are nested prefixes of one stream (MegaFace's published lists draw each size separately).
 * Verification: TAR at FAR 1e-6 with genuine pairs = the unordered same-identity pairs of the probe set and
 * impostor pairs = every probe image against every distractor; threshold as {@link ImpostorTail#thresholdAbove}.
 *
 * <p>Memory: the probe embeddings, per probe image its {@code maxRank} best distractor scores, and the impostor
 * tail (FAR x probes x N + 1 scores); distractors pass in blocks. Rows must be L2-normalised (score = dot product).
 * <pre>{@code
 * MegaFaceProtocol.Result r = MegaFaceProtocol.of(probes, identities).withSizes(10, 100, 1000)
 *     .withProgress(progress).run(DistractorSource.of(distractors));
 * r.points().get(0).rank1(); r.summary();
 * }</pre>
 */
public final class MegaFaceProtocol {
    public static final int[] STANDARD_SIZES = {10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private final float[][] probes;
    private final int[] labels;
    private int[] sizes = STANDARD_SIZES;
    private int maxRank = 10;
    private double far = 1e-6;
    private int blockSize = 2048;
    private Progress progress = Progress.NONE;

    private MegaFaceProtocol(float[][] probes, int[] labels) {
        if (probes.length != labels.length) throw new IllegalArgumentException(probes.length + " probe embeddings but " + labels.length + " labels");
        this.probes = probes;
        this.labels = labels.clone();
    }

    /** Probe images (normalised rows) and their identity labels; identities with one image give no pair and are left out. */
    public static MegaFaceProtocol of(float[][] probes, int[] identities) {
        return new MegaFaceProtocol(Objects.requireNonNull(probes, "probes"), Objects.requireNonNull(identities, "identities"));
    }

    /** Distractor counts to report, increasing (default 10 ... 1,000,000). */
    public MegaFaceProtocol withSizes(int... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("no distractor count");
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1 || i > 0 && sizes[i] <= sizes[i - 1]) throw new IllegalArgumentException("distractor counts must be positive and increasing: " + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
        return this;
    }

    public MegaFaceProtocol withMaxRank(int maxRank) {
        if (maxRank < 1) throw new IllegalArgumentException("max rank must be at least 1, got " + maxRank);
        this.maxRank = maxRank;
        return this;
    }

    /** The verification FAR (default 1e-6). */
    public MegaFaceProtocol withFar(double far) {
        if (!(far >= 0 && far < 1)) throw new IllegalArgumentException("FAR must be in [0, 1), got " + far);
        this.far = far;
        return this;
    }

    public MegaFaceProtocol withBlockSize(int blockSize) {
        if (blockSize < 1) throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        this.blockSize = blockSize;
        return this;
    }

    public MegaFaceProtocol withProgress(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /** The figures at one distractor count. */
    public record Point(int distractors, double[] cmc, double tar, double threshold, long impostorPairs) {
        public double rank1() { return cmc[0]; }
    }

    /** All points; {@code complete} is false when the stream ended before the largest requested count. */
    public record Result(int probeImages, int identities, long rankedPairs, long genuinePairs, double far, List<Point> points, boolean complete) {
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "MegaFace protocol: %d probe images of %d identities, %d probe-gallery pairs, %d genuine pairs%n", probeImages, identities, rankedPairs, genuinePairs));
            for (Point p : points) {
                s.append(String.format(Locale.ROOT, "  %,9d distractors: rank-1 %.4f, TAR@FAR=%.0e %.4f (threshold %.4f)%n", p.distractors, p.rank1(), far, p.tar, p.threshold));
            }
            if (!complete) s.append("  (the distractors ran out before the largest requested count)\n");
            return s.toString();
        }

        /** Rank-1 by distractor count. */
        public Map<Integer, Double> rank1ByDistractors() {
            Map<Integer, Double> m = new LinkedHashMap<>();
            for (Point p : points) m.put(p.distractors, p.rank1());
            return m;
        }
    }

    public Result run(DistractorSource distractors) throws IOException {
        // Keep the images of identities with two or more images, grouped.
        Map<Integer, List<Integer>> byIdentity = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) byIdentity.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        byIdentity.values().removeIf(l -> l.size() < 2);
        if (byIdentity.isEmpty()) throw new IllegalArgumentException("no identity of the probe set has two images: the protocol needs a gallery image and a probe");
        List<Integer> kept = new ArrayList<>();
        byIdentity.values().forEach(kept::addAll);
        int n = kept.size();
        float[][] rows = new float[n][];
        int[] group = new int[n];
        int g = 0, at = 0;
        for (List<Integer> members : byIdentity.values()) {
            for (int i : members) {
                rows[at] = probes[i];
                group[at++] = g;
            }
            g++;
        }
        // Mate scores of every image against the other images of its identity, and the genuine pairs.
        double[][] mateScores = new double[n][];
        List<Double> genuineList = new ArrayList<>();
        at = 0;
        for (List<Integer> members : byIdentity.values()) {
            int m = members.size();
            float[][] own = SimilarityBlocks.slice(rows, at, at + m);
            float[][] s = SimilarityBlocks.dot(own, own);
            for (int i = 0; i < m; i++) {
                double[] mates = new double[m - 1];
                for (int j = 0, k = 0; j < m; j++) if (j != i) mates[k++] = s[i][j];
                mateScores[at + i] = mates;
                for (int j = i + 1; j < m; j++) genuineList.add((double) s[i][j]);
            }
            at += m;
        }
        double[] genuine = genuineList.stream().mapToDouble(Double::doubleValue).toArray();
        long rankedPairs = 0;
        for (double[] m : mateScores) rankedPairs += m.length;

        TopScores[] best = new TopScores[n];
        for (int i = 0; i < n; i++) best[i] = new TopScores(maxRank);
        ImpostorTail tail = ImpostorTail.forFar(far, (long) n * sizes[sizes.length - 1]);
        List<Point> points = new ArrayList<>();
        long seen = 0;
        boolean complete = true;
        progress.start("distractors", sizes[sizes.length - 1]);
        for (int size : sizes) {
            while (seen < size) {
                float[][] block = distractors.next((int) Math.min(blockSize, size - seen));
                if (block.length == 0) break;
                float[][] s = SimilarityBlocks.dot(rows, block);
                for (int i = 0; i < n; i++) {
                    TopScores t = best[i];
                    for (float v : s[i]) {
                        if (!Float.isFinite(v)) throw new IllegalArgumentException("distractor " + (seen + 1) + "... gives score " + v + " (an embedding with NaN?)");
                        if (v > t.floor()) t.offer(v);
                        tail.offer(v);
                    }
                }
                seen += block.length;
                progress.update(seen, "");
            }
            if (seen < size) {
                complete = false;
                break;
            }
            long[] atRank = new long[maxRank + 1];
            for (int i = 0; i < n; i++) {
                for (double mate : mateScores[i]) {
                    int above = best[i].countAtLeast(mate);
                    if (above < maxRank) atRank[above + 1]++;
                }
            }
            double[] cmc = new double[maxRank];
            long cumulative = 0;
            for (int r = 1; r <= maxRank; r++) {
                cumulative += atRank[r];
                cmc[r - 1] = (double) cumulative / rankedPairs;
            }
            long impostors = (long) n * size;
            double threshold = tail.thresholdAbove(far, impostors);
            points.add(new Point(size, cmc, ImpostorTail.acceptRateAbove(genuine, threshold), threshold, impostors));
        }
        progress.finish(seen + " distractors against " + n + " probe images");
        return new Result(n, byIdentity.size(), rankedPairs, genuine.length, far, List.copyOf(points), complete);
    }
}
