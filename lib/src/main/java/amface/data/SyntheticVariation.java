package amface.data;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * What changes between two photos of the same synthetic person: pose (rotation, shift, scale, a hint of yaw),
 * expression, lighting, background, blur, noise and the odd occluder. Every amplitude grows with the difficulty.
 */
record SyntheticVariation(
    double rotationDegrees, double shiftX, double shiftY, double scale, double yaw,
    double smile, double mouthOpen, double browRaise, double eyeOpen, double gazeX, double hairShift,
    double brightness, double contrast, double lightSlope, double tintR, double tintG, double tintB,
    Color background, Color background2, double blur, double noise,
    boolean glassesFlip, boolean occluder, double occluderX, double occluderY, double occluderSize, Color occluderColour) {

    static SyntheticVariation draw(SplittableRandom r, double d) {
        return new SyntheticVariation(
            gauss(r, 2 + 6 * d), gauss(r, 0.6 + 2.2 * d), gauss(r, 0.6 + 2.2 * d), Math.exp(gauss(r, 0.02 + 0.06 * d)), gauss(r, 0.12 + 0.45 * d),
            gauss(r, 0.15 + 0.45 * d), r.nextDouble() < 0.08 + 0.3 * d ? r.nextDouble() * (0.4 + 0.6 * d) : 0, gauss(r, 0.5 + 1.5 * d),
            SyntheticIdentity.clamp(1 - Math.abs(gauss(r, 0.05 + 0.3 * d)), 0.1, 1), gauss(r, 0.3 + 0.6 * d), gauss(r, 0.5 + 2 * d),
            Math.exp(gauss(r, 0.07 + 0.25 * d)), Math.exp(gauss(r, 0.05 + 0.18 * d)), gauss(r, 0.08 + 0.5 * d),
            Math.exp(gauss(r, 0.02 + 0.07 * d)), Math.exp(gauss(r, 0.02 + 0.05 * d)), Math.exp(gauss(r, 0.02 + 0.07 * d)),
            new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)), new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)),
            r.nextDouble() * (0.3 + 1.7 * d), 1.5 + r.nextDouble() * (2 + 9 * d),
            r.nextDouble() < 0.15 * d, r.nextDouble() < 0.35 * d,
            10 + r.nextDouble() * 76, 60 + r.nextDouble() * 52, 8 + r.nextDouble() * 16, new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
    }

    /** A normal sample with standard deviation {@code sd}, cut at 2.5 sd so no photo is absurd. */
    private static double gauss(SplittableRandom r, double sd) {
        return SyntheticIdentity.clamp(r.nextGaussian(), -2.5, 2.5) * sd;
    }
}
