package amface.identification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import amface.data.Progress;

/**
 * LFW-BLUFR figures as the BLUFR toolkit computes them ({@code demo_pca.m}, {@code EvalROC.m},
 * {@code OpenSetROC.m}): per trial the verification rate at FAR 0.1 % and 0.01 % over all pairs of the test images
 * (each unordered pair once), and the open-set detection and identification rate at rank 1 and FAR 1 %; then mean,
 * standard deviation over trials (MATLAB's {@code std}: n - 1 in the denominator) and the toolkit's reported
 * mu - sigma. Thresholds follow the toolkit: a = round(FAR x impostors), the a-th best impostor score, accept with
 * "&gt;=" (see {@link ImpostorTail#blufrVerificationRate}). The 47 M impostor pairs of a trial are streamed: only
 * the genuine scores and the impostor tail the largest FAR needs are kept, which gives the toolkit's threshold
 * exactly. One deliberate difference: ranks are pessimistic ({@link IdentificationScores}); the toolkit breaks an
 * exact score tie by gallery order.
 * <pre>{@code
 * BlufrEvaluation.Result r = BlufrEvaluation.evaluate(BlufrTrials.read(mat), features, progress);
 * r.summary(); r.vrMean(0); r.dirMean();
 * }</pre>
 */
public final class BlufrEvaluation {
    public static final double[] VERIFICATION_FARS = {1e-3, 1e-4};
    public static final double OPEN_SET_FAR = 1e-2;
    private static final int BLOCK = 1024;

    private BlufrEvaluation() { }

    /** One trial's figures: VR at each of {@link #VERIFICATION_FARS}, DIR at rank 1 and FAR 1 %, and the pair counts. */
    public record Trial(double[] fars, double[] vr, double dir, long genuinePairs, long impostorPairs, int galleryImages, int genuineProbes, int impostorProbes) { }

    public record Result(List<Trial> trials, double[] fars, double openSetFar) {
        public double vrMean(int far) { return mean(trials.stream().mapToDouble(t -> t.vr()[far]).toArray()); }

        public double vrStd(int far) { return sampleStd(trials.stream().mapToDouble(t -> t.vr()[far]).toArray()); }

        public double dirMean() { return mean(trials.stream().mapToDouble(Trial::dir).toArray()); }

        public double dirStd() { return sampleStd(trials.stream().mapToDouble(Trial::dir).toArray()); }

        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "BLUFR over %d trials (mean ± std; mu - sigma as the toolkit reports)%n", trials.size()));
            for (int f = 0; f < fars.length; f++) {
                s.append(String.format(Locale.ROOT, "  VR@FAR=%s%%: %.4f ± %.4f (%.4f)%n", percent(fars[f]), vrMean(f), vrStd(f), vrMean(f) - vrStd(f)));
            }
            s.append(String.format(Locale.ROOT, "  DIR@FAR=%s%% rank 1: %.4f ± %.4f (%.4f)%n", percent(openSetFar), dirMean(), dirStd(), dirMean() - dirStd()));
            return s.toString();
        }
    }

    private static String percent(double far) {
        return new java.math.BigDecimal(Double.toString(far * 100)).stripTrailingZeros().toPlainString();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** MATLAB's default std: the square root of the sum of squared deviations over n - 1 (0 for one value). */
    static double sampleStd(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    /** Evaluates every trial; {@code features[i]} is the L2-normalised feature of image i of the trials' list. */
    public static Result evaluate(BlufrTrials trials, float[][] features, Progress progress) {
        return evaluate(trials, features, VERIFICATION_FARS, OPEN_SET_FAR, progress);
    }

    /** As {@link #evaluate(BlufrTrials, float[][], Progress)} at other FARs (tests use larger ones on small sets). */
    public static Result evaluate(BlufrTrials trials, float[][] features, double[] fars, double openSetFar, Progress progress) {
        Objects.requireNonNull(progress, "progress");
        for (double f : fars) if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("FAR must be in [0, 1], got " + f);
        if (features.length != trials.images().size()) throw new IllegalArgumentException(features.length + " features for " + trials.images().size() + " images");
        List<Trial> out = new ArrayList<>();
        progress.start("BLUFR trials", trials.trials().size());
        for (BlufrTrials.Trial t : trials.trials()) {
            out.add(evaluateTrial(trials, features, t, fars, openSetFar));
            progress.update(out.size(), String.format(Locale.ROOT, "VR@0.1%% %.4f", out.get(out.size() - 1).vr()[0]));
        }
        Result r = new Result(List.copyOf(out), fars.clone(), openSetFar);
        progress.finish(String.format(Locale.ROOT, "VR@FAR=0.1%% %.4f, DIR@FAR=1%% %.4f", r.vrMean(0), r.dirMean()));
        return r;
    }

    static Trial evaluateTrial(BlufrTrials trials, float[][] features, BlufrTrials.Trial t, double[] fars, double openSetFar) {
        int[] test = t.test();
        int n = test.length;
        float[][] rows = new float[n][];
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = features[test[i]];
            label[i] = trials.label(test[i]);
        }
        long genuineCount = genuinePairs(label);
        long impostors = (long) n * (n - 1) / 2 - genuineCount;
        if (impostors == 0 || genuineCount == 0) throw new IllegalArgumentException("a trial needs genuine and impostor pairs");
        double maxFar = Arrays.stream(fars).max().getAsDouble();
        ImpostorTail tail = ImpostorTail.forFar(maxFar, impostors);
        double[] genuine = new double[(int) genuineCount];
        int g = 0;
        // Pairs (i, j) with j < i, rows in blocks against the columns before the block's end.
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            float[][] s = SimilarityBlocks.dot(SimilarityBlocks.slice(rows, start, end), SimilarityBlocks.slice(rows, 0, end));
            for (int i = start; i < end; i++) {
                float[] si = s[i - start];
                for (int j = 0; j < i; j++) {
                    if (label[i] == label[j]) genuine[g++] = si[j]; else tail.offer(si[j]);
                }
            }
        }
        double[] vr = new double[fars.length];
        for (int f = 0; f < vr.length; f++) vr[f] = tail.blufrVerificationRate(genuine, fars[f]);
        IdentificationScores open = openSet(trials, features, t);
        return new Trial(fars.clone(), vr, blufrDir(open, openSetFar, 1), genuineCount, impostors, t.gallery().length, open.matedCount(), open.nonMatedCount());
    }

    private static long genuinePairs(int[] label) {
        java.util.Map<Integer, Long> count = new java.util.HashMap<>();
        for (int l : label) count.merge(l, 1L, Long::sum);
        long pairs = 0;
        for (long c : count.values()) pairs += c * (c - 1) / 2;
        return pairs;
    }

    /** The open-set search of a trial's probes against its gallery. */
    static IdentificationScores openSet(BlufrTrials trials, float[][] features, BlufrTrials.Trial t) {
        float[][] gallery = new float[t.gallery().length][];
        int[] galleryLabels = new int[gallery.length];
        for (int i = 0; i < gallery.length; i++) {
            gallery[i] = features[t.gallery()[i]];
            galleryLabels[i] = trials.label(t.gallery()[i]);
        }
        int[] probeLabels = new int[t.probes().length];
        for (int i = 0; i < probeLabels.length; i++) probeLabels[i] = trials.label(t.probes()[i]);
        ProbeRanker ranker = ProbeRanker.forGallery(probeLabels, galleryLabels, 10);
        for (int start = 0; start < probeLabels.length; start += BLOCK) {
            int end = Math.min(probeLabels.length, start + BLOCK);
            float[][] probes = new float[end - start][];
            for (int i = start; i < end; i++) probes[i - start] = features[t.probes()[i]];
            float[][] s = SimilarityBlocks.dot(probes, gallery);
            for (int i = start; i < end; i++) for (int j = 0; j < gallery.length; j++) ranker.offer(i, galleryLabels[j], s[i - start][j]);
        }
        return ranker.result();
    }

    /**
     * {@code OpenSetROC}'s detection and identification rate: a = round(far x non-mated probes); threshold = the
     * a-th best of the non-mated probes' top scores (a = 0: above the best; a = all: everything); a mated probe
     * counts when its mate ranks at most {@code rank} and scores at least the threshold.
     */
    public static double blufrDir(IdentificationScores scores, double far, int rank) {
        double[] imp = OpenSetIdentification.sortedNonMated(scores);
        int n = imp.length;
        long a = Math.round(far * n);
        int mated = scores.matedCount();
        int hits = 0;
        for (int p = 0; p < scores.probes(); p++) {
            int r = scores.mateRank(p);
            if (!scores.mated(p) || r < 1 || r > rank) continue;
            double s = scores.mateScore(p);
            boolean accepted = a == 0 ? s > imp[n - 1] : a >= n || s >= imp[(int) (n - a)];
            if (accepted) hits++;
        }
        return (double) hits / mated;
    }
}
