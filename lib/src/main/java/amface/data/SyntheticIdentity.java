package amface.data;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * The fixed traits of one synthetic person: face shape, skin, eyes, brows, nose, mouth, hair, glasses, beard,
 * a mole. Drawn from a random generator; {@code spread} (1 = full variety) pulls every continuous trait towards
 * the average face, which is how a higher difficulty makes people look more alike.
 * Lengths are in pixels of the 96x112 template.
 */
record SyntheticIdentity(
    double faceWidth, double faceHeight, double jawWidth, double faceCentreY,
    Color skin, Color lips, Color hair, Color iris, Color brows,
    double eyeDx, double eyeDy, double eyeWidth, double eyeHeight, double irisRadius,
    double browGap, double browThickness, double browArch, double browTilt, double browLength,
    double noseLength, double noseWidth, double mouthDy, double mouthWidth, double lipThickness, double restingSmile,
    int hairStyle, double hairline, double hairVolume,
    boolean glasses, boolean roundGlasses, Color glassesColour,
    int beard, double earSize,
    double moleX, double moleY, boolean mole) {

    static final int HAIR_STYLES = 6; // 0 bald, 1 short, 2 fringe, 3 side part, 4 long, 5 curly/voluminous

    private static final Color[] SKIN = {
        new Color(255, 226, 204), new Color(243, 203, 172), new Color(231, 180, 143), new Color(212, 158, 118),
        new Color(181, 125, 88), new Color(141, 94, 64), new Color(104, 68, 46), new Color(74, 48, 34),
    };
    private static final Color[] HAIR = {
        new Color(28, 24, 22), new Color(58, 40, 28), new Color(96, 64, 40), new Color(140, 98, 58),
        new Color(201, 168, 108), new Color(230, 206, 150), new Color(146, 66, 32), new Color(150, 148, 146), new Color(222, 220, 214),
    };
    private static final Color[] IRIS = {
        new Color(70, 44, 28), new Color(40, 26, 18), new Color(60, 100, 150), new Color(70, 110, 70),
        new Color(120, 96, 50), new Color(110, 120, 130),
    };
    private static final Color[] FRAMES = {
        new Color(20, 20, 20), new Color(90, 60, 30), new Color(160, 160, 170), new Color(120, 20, 30), new Color(30, 40, 110),
    };

    /** A new identity; {@code spread} in (0, 1]. */
    static SyntheticIdentity draw(SplittableRandom r, double spread) {
        double skinT = clamp(0.45 + (r.nextDouble() - 0.45) * spread, 0, 1);
        Color skin = jitter(ramp(SKIN, skinT), r, 10 * spread);
        Color hair = jitter(HAIR[r.nextInt(HAIR.length)], r, 14 * spread);
        boolean glasses = r.nextDouble() < 0.3;
        int style = r.nextInt(HAIR_STYLES);
        double lipsMix = 0.25 + 0.25 * r.nextDouble();
        Color lips = mix(skin, new Color(170, 70, 80), lipsMix);
        return new SyntheticIdentity(
            v(r, 42.5, 4.5, spread), v(r, 54, 5, spread), v(r, 0.66, 0.1, spread), v(r, 62, 3, spread),
            skin, lips, hair, jitter(IRIS[r.nextInt(IRIS.length)], r, 12 * spread), mix(hair, new Color(30, 25, 20), 0.35),
            v(r, 0, 2.2, spread), v(r, 0, 1.8, spread), v(r, 13, 2, spread), v(r, 6, 1.3, spread), v(r, 3.3, 0.5, spread),
            v(r, 9.5, 2.2, spread), v(r, 2.6, 1.0, spread), v(r, 2.2, 1.8, spread), v(r, 0, 0.14, spread), v(r, 17, 3, spread),
            v(r, 19, 3, spread), v(r, 11, 2.5, spread), v(r, 0, 2.8, spread), v(r, 29, 4, spread), v(r, 3.2, 1.1, spread), v(r, 0.15, 0.35, spread),
            style, v(r, 22, 5, spread), v(r, 1, 0.25, spread),
            glasses, r.nextBoolean(), FRAMES[r.nextInt(FRAMES.length)],
            r.nextDouble() < 0.2 ? 1 + r.nextInt(3) : 0, v(r, 1, 0.15, spread),
            v(r, 48, 30, 1), v(r, 75, 22, 1), r.nextDouble() < 0.35);
    }

    /** Mean plus a uniform deviation of up to {@code range * spread} either way. */
    private static double v(SplittableRandom r, double mean, double range, double spread) {
        return mean + (2 * r.nextDouble() - 1) * range * spread;
    }

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    static Color ramp(Color[] colours, double t) {
        double p = t * (colours.length - 1);
        int i = Math.min(colours.length - 2, (int) p);
        return mix(colours[i], colours[i + 1], p - i);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(
            (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
            (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
            (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    static Color jitter(Color c, SplittableRandom r, double amount) {
        return new Color(
            (int) clamp(c.getRed() + (2 * r.nextDouble() - 1) * amount, 0, 255),
            (int) clamp(c.getGreen() + (2 * r.nextDouble() - 1) * amount, 0, 255),
            (int) clamp(c.getBlue() + (2 * r.nextDouble() - 1) * amount, 0, 255));
    }

    static Color shade(Color c, double factor) {
        return new Color((int) clamp(c.getRed() * factor, 0, 255), (int) clamp(c.getGreen() * factor, 0, 255), (int) clamp(c.getBlue() * factor, 0, 255));
    }
}
