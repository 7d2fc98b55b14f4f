package amface.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import amface.data.LfwPairs.Pair;

/**
 * Pairs matched with their embeddings, ready for {@link VerificationEvaluator}. A pair naming an image without an
 * embedding is an error listing the missing images, or, when skipping is asked for, is left out and counted
 * (as facenet does).
 */
public final class VerificationPairs {
    private static final int LISTED = 20;

    private final List<Pair> pairs;
    private final Embeddings embeddings;
    private final int skipped;
    private final List<String> missing;

    private VerificationPairs(List<Pair> pairs, Embeddings embeddings, int skipped, List<String> missing) {
        this.pairs = List.copyOf(pairs);
        this.embeddings = embeddings;
        this.skipped = skipped;
        this.missing = List.copyOf(missing);
    }

    /**
     * Matches {@code pairs} with {@code embeddings} as they are; {@code source} names where the embeddings came from,
     * for the error message.
     */
    public static VerificationPairs match(List<Pair> pairs, Embeddings embeddings, boolean skipMissing, String source) {
        return match(pairs, null, embeddings, skipMissing, source);
    }

    /**
     * Matches {@code pairs} with {@code embeddings} whose paths end in {@code extension} ({@code .png} or {@code png};
     * pairs files name images without one, {@link amface.data.LfwPairs} gives them {@code .jpg}).
     */
    public static VerificationPairs match(List<Pair> pairs, String extension, Embeddings embeddings, boolean skipMissing, String source) {
        List<Pair> kept = new ArrayList<>(pairs.size());
        Set<String> missing = new LinkedHashSet<>();
        int skipped = 0;
        for (Pair original : pairs) {
            Pair p = extension == null ? original : withExtension(original, extension);
            boolean l = embeddings.contains(p.left()), r = embeddings.contains(p.right());
            if (!l) missing.add(p.left());
            if (!r) missing.add(p.right());
            if (l && r) kept.add(p); else skipped++;
        }
        if (skipped > 0 && !skipMissing) {
            List<String> first = new ArrayList<>(missing).subList(0, Math.min(LISTED, missing.size()));
            throw new IllegalArgumentException(skipped + " of " + pairs.size() + " pairs name images with no embedding in " + source
                + " (" + missing.size() + " images" + (missing.size() > LISTED ? ", first " + LISTED : "") + ": "
                + String.join(", ", first) + "); check --ext, or evaluate the rest with --skip-missing");
        }
        if (kept.isEmpty()) throw new IllegalArgumentException("none of the " + pairs.size() + " pairs has both embeddings in " + source);
        return new VerificationPairs(kept, embeddings, skipped, new ArrayList<>(missing));
    }

    private static Pair withExtension(Pair p, String extension) {
        String ext = extension.startsWith(".") || extension.isEmpty() ? extension : "." + extension;
        return new Pair(replaceExtension(p.left(), ext), replaceExtension(p.right(), ext), p.same(), p.line());
    }

    private static String replaceExtension(String path, String ext) {
        int dot = path.lastIndexOf('.');
        return (dot > path.lastIndexOf('/') ? path.substring(0, dot) : path) + ext;
    }

    /** The pairs that have both embeddings, in their original order. */
    public List<Pair> pairs() { return pairs; }

    public int size() { return pairs.size(); }

    public Pair get(int index) { return pairs.get(index); }

    /** How many pairs were left out for want of an embedding. */
    public int skipped() { return skipped; }

    /** The images that had no embedding, in order of first mention. */
    public List<String> missingImages() { return missing; }

    public Embeddings embeddings() { return embeddings; }

    public boolean[] same() {
        boolean[] s = new boolean[pairs.size()];
        for (int i = 0; i < s.length; i++) s[i] = pairs.get(i).same();
        return s;
    }

    /** Each pair's distance between its L2-normalised embeddings. */
    public double[] distances(Metric metric) {
        return perPair(metric::distance);
    }

    /** Each pair's cosine similarity (dot product of the L2-normalised embeddings; 0 for a zero embedding), unclamped. */
    public double[] similarities() {
        return perPair(VerificationPairs::dot);
    }

    private double[] perPair(java.util.function.ToDoubleBiFunction<double[], double[]> f) {
        Map<String, double[]> unit = new HashMap<>();
        double[] d = new double[pairs.size()];
        for (int i = 0; i < d.length; i++) {
            Pair p = pairs.get(i);
            double[] a = unit.computeIfAbsent(p.left(), k -> VerificationEvaluator.normalised(embeddings.view(k)));
            double[] b = unit.computeIfAbsent(p.right(), k -> VerificationEvaluator.normalised(embeddings.view(k)));
            d[i] = f.applyAsDouble(a, b);
        }
        return d;
    }

    static double dot(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embeddings have different dimensions: " + a.length + " and " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
