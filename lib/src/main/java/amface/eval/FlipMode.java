package amface.eval;

import java.util.Locale;

/**
 * Test-time flip: how the embedding of an image and of its horizontal mirror are combined into one.
 * After the evaluator's L2 normalisation {@code SUM} and {@code MEAN} give the same distances; both are kept
 * because the literature names them (insightface sums, the reference AM-softmax repository averages) and
 * because the written CSV differs.
 */
public enum FlipMode {
    /** The original image only. */
    NONE,
    /** original + mirrored (insightface). */
    SUM,
    /** (original + mirrored) / 2 (the reference AM-softmax repository). */
    MEAN,
    /**
     * [original / |original|, mirrored / |mirrored|], twice as long (facenet, whose network already outputs unit
     * vectors; normalising each half keeps the two views equally weighted for models that do not).
     */
    CONCAT;

    /** Whether the mirrored image has to be embedded at all. */
    public boolean needsMirror() { return this != NONE; }

    /** Length of a combined embedding for a model whose embeddings have {@code embeddingSize} values. */
    public int dimension(int embeddingSize) { return this == CONCAT ? 2 * embeddingSize : embeddingSize; }

    /** The combined embedding; {@code mirrored} is ignored (and may be null) for {@link #NONE}. */
    public float[] combine(float[] original, float[] mirrored) {
        if (this == NONE) return original.clone();
        if (mirrored == null || mirrored.length != original.length) {
            throw new IllegalArgumentException("flip " + cliName() + " needs a mirrored embedding of length " + original.length);
        }
        int d = original.length;
        float[] out = new float[dimension(d)];
        switch (this) {
            case SUM -> { for (int i = 0; i < d; i++) out[i] = original[i] + mirrored[i]; }
            case MEAN -> { for (int i = 0; i < d; i++) out[i] = (original[i] + mirrored[i]) / 2f; }
            case CONCAT -> {
                double no = norm(original), nm = norm(mirrored);
                for (int i = 0; i < d; i++) {
                    out[i] = (float) (no > 0 ? original[i] / no : 0);
                    out[d + i] = (float) (nm > 0 ? mirrored[i] / nm : 0);
                }
            }
            default -> throw new AssertionError(this);
        }
        return out;
    }

    /** The name on the command line: none, sum, mean, concat. */
    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static FlipMode parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (FlipMode f : values()) if (f.cliName().equals(n)) return f;
        throw new IllegalArgumentException("unknown flip mode '" + name + "' (use none, sum, mean or concat)");
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }
}
