package amface.nn;

import java.util.Locale;
import java.util.Properties;

/**
 * A verification threshold calibrated for one model at a target false accept rate, as stored in the model file:
 * two faces are the same person when the cosine similarity of their embeddings is above {@code similarity}.
 * FAR and TAR are what the threshold achieved on held-out folds of the calibration pairs (mean and population
 * standard deviation over the folds: chosen on the other folds, measured on the one left out).
 *
 * @param similarity  the cosine similarity threshold ("same" when similarity &gt; it), chosen on all pairs
 * @param targetFar   the false accept rate it was chosen for
 * @param far         achieved FAR on the held-out folds, mean
 * @param farStd      its standard deviation over the folds
 * @param tar         achieved true accept rate on the held-out folds, mean
 * @param tarStd      its standard deviation over the folds
 * @param folds       number of folds
 * @param pairs       pairs it was calibrated on ({@code genuine + impostor})
 * @param flip        the test-time flip mode of the embeddings it was calibrated with ({@code amface.eval.FlipMode} name)
 * @param fingerprint {@link FaceModel#fingerprint()} of the weights it was calibrated for
 * @param source      what it was calibrated on, for people (the pairs file)
 */
public record VerificationThreshold(double similarity, double targetFar, double far, double farStd, double tar, double tarStd,
                                    int folds, int pairs, String flip, String fingerprint, String source) {
    private static final String PREFIX = "threshold.";

    public VerificationThreshold {
        if (!Double.isFinite(similarity)) throw new IllegalArgumentException("threshold must be finite, got " + similarity);
        if (!(targetFar >= 0 && targetFar < 1)) throw new IllegalArgumentException("target FAR must be in [0, 1), got " + targetFar);
        if (flip == null || flip.isBlank()) throw new IllegalArgumentException("threshold needs the flip mode it was calibrated with");
        source = source == null ? "" : source;
        fingerprint = fingerprint == null ? "" : fingerprint;
    }

    /** One line for people: {@code 0.4123 at FAR 1e-03 (achieved FAR 0.0010 ± 0.0013, TAR 0.9170 ± 0.0210 over 10 folds, flip mean)}. */
    public String summary() {
        return String.format(Locale.ROOT, "%.4f at FAR %.0e (achieved FAR %.4f ± %.4f, TAR %.4f ± %.4f over %d folds of %d pairs, flip %s)",
            similarity, targetFar, far, farStd, tar, tarStd, folds, pairs, flip);
    }

    /** Writes the {@code threshold.*} keys. */
    void writeTo(Properties p) {
        p.setProperty(PREFIX + "similarity", Double.toString(similarity));
        p.setProperty(PREFIX + "targetFar", Double.toString(targetFar));
        p.setProperty(PREFIX + "far", Double.toString(far));
        p.setProperty(PREFIX + "farStd", Double.toString(farStd));
        p.setProperty(PREFIX + "tar", Double.toString(tar));
        p.setProperty(PREFIX + "tarStd", Double.toString(tarStd));
        p.setProperty(PREFIX + "folds", Integer.toString(folds));
        p.setProperty(PREFIX + "pairs", Integer.toString(pairs));
        p.setProperty(PREFIX + "flip", flip);
        p.setProperty(PREFIX + "fingerprint", fingerprint);
        p.setProperty(PREFIX + "source", source);
    }

    /** The stored threshold, or null when the properties hold none; a damaged one is an IllegalArgumentException naming the key. */
    static VerificationThreshold readFrom(Properties p) {
        if (p.getProperty(PREFIX + "similarity") == null) return null;
        return new VerificationThreshold(number(p, "similarity"), number(p, "targetFar"), number(p, "far"), number(p, "farStd"),
            number(p, "tar"), number(p, "tarStd"), (int) number(p, "folds"), (int) number(p, "pairs"),
            text(p, "flip"), p.getProperty(PREFIX + "fingerprint", ""), p.getProperty(PREFIX + "source", ""));
    }

    private static String text(Properties p, String key) {
        String v = p.getProperty(PREFIX + key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("stored threshold lacks '" + PREFIX + key + "'");
        return v.trim();
    }

    private static double number(Properties p, String key) {
        String v = text(p, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored threshold has " + PREFIX + key + "='" + v + "', not a number", e);
        }
    }
}
