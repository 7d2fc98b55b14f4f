package amface.gallery;

/** L2 normalisation of embeddings, accumulated in double, shared by the gallery and every engine. */
final class Vectors {
    private Vectors() { }

    /** The length of {@code v}. */
    static double norm(float[] v, int from, int length) {
        double s = 0;
        for (int i = from; i < from + length; i++) s += (double) v[i] * v[i];
        return Math.sqrt(s);
    }

    /** {@code v} scaled to length 1; {@code what} names it in the error for an all-zero or non-finite vector. */
    static float[] normalised(float[] v, String what) {
        double n = norm(v, 0, v.length);
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new IllegalArgumentException(what + ": the embedding " + (n == 0 ? "is all zeros" : "is not finite") + " and has no direction to search with");
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / n);
        return out;
    }

    /** Every probe normalised, all of {@code dimension} values. */
    static float[][] probes(float[][] probes, int dimension) {
        float[][] out = new float[probes.length][];
        for (int i = 0; i < probes.length; i++) {
            if (probes[i].length != dimension) {
                throw new IllegalArgumentException("probe " + (i + 1) + " has " + probes[i].length + " values, the gallery's embeddings have " + dimension
                    + " (another model or flip mode?)");
            }
            out[i] = normalised(probes[i], "probe " + (i + 1));
        }
        return out;
    }
}
