package amface.eval;

import java.util.Locale;

/**
 * How two embeddings are compared. Both work on L2-normalised embeddings and give a distance (smaller = more
 * alike), so one protocol (predict "same" when distance &lt; threshold) serves both.
 */
public enum Metric {
    /** Squared Euclidean distance of the L2-normalised embeddings, in [0, 4]: the facenet / LFW protocol. */
    DISTANCE("distance", "squared L2 distance"),
    /** Cosine distance 1 - cos(a, b), clamped to [0, 2]; the similarity is 1 minus it. */
    COSINE("cosine", "cosine distance 1 - cos");

    private final String cliName;
    private final String description;

    Metric(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The distance of two vectors that are already L2-normalised (or zero). */
    public double distance(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings have different dimensions: " + a.length + " and " + b.length);
        }
        double s = 0;
        if (this == DISTANCE) {
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                s += d * d;
            }
            return s;
        }
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        // Rounding can push cos(a, a) a hair above 1; a negative distance would pass the threshold 0.
        return Math.max(0, 1 - s);
    }

    /** The name on the command line: {@code distance} or {@code cosine}. */
    public String cliName() { return cliName; }

    /** What the thresholds measure, for summaries and axis labels. */
    public String description() { return description; }

    public static Metric parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) if (m.cliName.equals(n)) return m;
        throw new IllegalArgumentException("unknown metric '" + name + "' (use distance or cosine)");
    }
}
