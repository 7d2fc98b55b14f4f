package amface.image;

import java.util.Locale;
import java.util.Objects;

/**
 * How a network wants its 8-bit pixels: the channel order of its input and {@code (x - mean) / std} per sample.
 * amface's own models use {@link #AMFACE}, the reference's {@code (x - 127.5) / 128} in RGB order (the order
 * {@link RgbImage} and {@link ImageTensors} keep); insightface's arcface_torch models use {@link #INSIGHTFACE},
 * {@code (x / 255 - 0.5) / 0.5} in RGB, which is {@code (x - 127.5) / 127.5}. A model carries its own.
 *
 * @param channelOrder order of the three input channels
 * @param mean         subtracted from every sample (0..255)
 * @param std          the difference is divided by this (positive)
 */
public record PixelNormalisation(ChannelOrder channelOrder, double mean, double std) implements java.io.Serializable {
    /** amface's (and the AM-softmax reference's) normalisation: RGB, {@code (x - 127.5) / 128}. */
    public static final PixelNormalisation AMFACE = new PixelNormalisation(ChannelOrder.RGB, 127.5, 128);
    /** insightface arcface_torch: RGB, {@code (x - 127.5) / 127.5}. */
    public static final PixelNormalisation INSIGHTFACE = new PixelNormalisation(ChannelOrder.RGB, 127.5, 127.5);

    /** Channel order of the network input. */
    public enum ChannelOrder { RGB, BGR }

    public PixelNormalisation {
        Objects.requireNonNull(channelOrder, "channelOrder");
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("normalisation mean must be finite, got " + mean);
        if (!(std > 0) || !Double.isFinite(std)) throw new IllegalArgumentException("normalisation std must be positive and finite, got " + std);
    }

    /**
     * The normalised value of every 8-bit sample 0..255, computed in double and rounded once to float (for
     * {@link #AMFACE} exact: both steps are exact in binary).
     */
    public float[] table() {
        float[] t = new float[256];
        for (int v = 0; v < 256; v++) t[v] = (float) ((v - mean) / std);
        return t;
    }

    /** Whether the network's channel 0 is blue (the image's channel 2). */
    public boolean swapsRedAndBlue() {
        return channelOrder == ChannelOrder.BGR;
    }

    /** For people and file headers: {@code (x - 127.5) / 128, RGB}. */
    public String describe() {
        return formula() + ", " + channelOrder;
    }

    /** The arithmetic alone, {@code (x - 127.5) / 128}, as export metadata states it beside the channel order. */
    public String formula() {
        return "(x - " + number(mean) + ") / " + number(std);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
