package amface.nn;

import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

import amface.image.PixelNormalisation;
import amface.image.PixelNormalisation.ChannelOrder;

/**
 * What a model file says about using the model, beyond its network: the pixel normalisation it was trained with,
 * the test-time flip mode it recommends, and optionally a calibrated {@link VerificationThreshold}. Stored as
 * plain keys in the model's {@value FaceModel#METADATA_ENTRY}; files written before these keys existed read as
 * {@link #DEFAULT}, which is exactly what amface did with them before.
 *
 * @param normalisation pixel normalisation and channel order of the network input
 * @param flip          recommended test-time flip mode, an {@code amface.eval.FlipMode} name (none, sum, mean, concat);
 *                      a string here because {@code nn} sits below {@code eval}
 * @param threshold     calibrated verification threshold, or null
 */
public record ModelMetadata(PixelNormalisation normalisation, String flip, VerificationThreshold threshold) {
    /** What every model file without these keys gets: amface's normalisation, no flip (embed's default), no threshold. */
    public static final ModelMetadata DEFAULT = new ModelMetadata(PixelNormalisation.AMFACE, "none", null);

    public ModelMetadata {
        Objects.requireNonNull(normalisation, "normalisation");
        if (flip == null || !flip.strip().matches("[a-z]+")) throw new IllegalArgumentException("flip mode must be a lower-case name, got '" + flip + "'");
        flip = flip.strip();
    }

    public ModelMetadata withNormalisation(PixelNormalisation n) {
        return new ModelMetadata(n, flip, threshold);
    }

    public ModelMetadata withFlip(String f) {
        return new ModelMetadata(normalisation, f, threshold);
    }

    /** With {@code t} as the stored threshold (null removes it). */
    public ModelMetadata withThreshold(VerificationThreshold t) {
        return new ModelMetadata(normalisation, flip, t);
    }

    public boolean hasThreshold() {
        return threshold != null;
    }

    /** Writes the keys (the old descriptive {@code normalisation} key too, for people and older readers). */
    void writeTo(Properties p) {
        p.setProperty("normalisation", normalisation.describe());
        p.setProperty("normalisation.channels", normalisation.channelOrder().name());
        p.setProperty("normalisation.mean", Double.toString(normalisation.mean()));
        p.setProperty("normalisation.std", Double.toString(normalisation.std()));
        p.setProperty("flip", flip);
        if (threshold != null) threshold.writeTo(p);
    }

    /** Reads the keys; absent ones take their {@link #DEFAULT}; a malformed one is an IllegalArgumentException naming it. */
    static ModelMetadata readFrom(Properties p) {
        PixelNormalisation n = PixelNormalisation.AMFACE;
        if (p.getProperty("normalisation.mean") != null || p.getProperty("normalisation.std") != null
            || p.getProperty("normalisation.channels") != null) {
            String order = p.getProperty("normalisation.channels", n.channelOrder().name()).strip().toUpperCase(Locale.ROOT);
            ChannelOrder channels;
            try {
                channels = ChannelOrder.valueOf(order);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("normalisation.channels='" + order + "' (use RGB or BGR)", e);
            }
            n = new PixelNormalisation(channels, number(p, "normalisation.mean", n.mean()), number(p, "normalisation.std", n.std()));
        }
        String flip = p.getProperty("flip", DEFAULT.flip());
        try {
            return new ModelMetadata(n, flip, VerificationThreshold.readFrom(p));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model metadata: " + e.getMessage(), e);
        }
    }

    private static double number(Properties p, String key, double fallback) {
        String v = p.getProperty(key);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + v + "' is not a number", e);
        }
    }
}
