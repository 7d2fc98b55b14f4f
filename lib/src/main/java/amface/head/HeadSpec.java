package amface.head;

import java.util.Locale;

/**
 * A head by name and numbers, as the CLI and the training config give it, turned into a {@link MarginSoftmax}
 * layer. Names: {@code am} (= {@code cosface}), {@code normface}, {@code arcface}, {@code sphereface},
 * {@code combined}, {@code softmax}.
 *
 * @param kind         the head's name
 * @param s            scale (margin heads except SphereFace)
 * @param m            the margin: additive cosine (am), additive angle (arcface), integer multiplier (sphereface)
 * @param m1           combined margin: angle multiplier
 * @param m2           combined margin: additive angle
 * @param m3           combined margin: additive cosine
 * @param learnScale   train s as a parameter
 * @param easyMargin   ArcFace: apply the margin only where cos > 0
 * @param marginWarmup ramp the margin from 0 over this many steps
 * @param lrMultiplier the head's learning rate relative to the network's
 */
public record HeadSpec(String kind, double s, double m, double m1, double m2, double m3, boolean learnScale,
                       boolean easyMargin, long marginWarmup, double lrMultiplier) {

    public static final String NAMES = "am, cosface, normface, arcface, sphereface, combined, softmax";

    public HeadSpec {
        kind = kind.toLowerCase(Locale.ROOT);
        margin(kind, m, m1, m2, m3, easyMargin); // validates the name and numbers
    }

    /** AM-softmax with the paper's s = 30, m = 0.35. */
    public static HeadSpec amSoftmax() {
        return of("am", 30, 0.35);
    }

    /** A head with default combined-margin numbers, no warm-up, lr multiplier 1. */
    public static HeadSpec of(String kind, double s, double m) {
        return new HeadSpec(kind, s, m, 1, 0, 0, false, false, 0, 1);
    }

    public HeadSpec withWarmup(long steps) {
        return new HeadSpec(kind, s, m, m1, m2, m3, learnScale, easyMargin, steps, lrMultiplier);
    }

    public HeadSpec withLrMultiplier(double multiplier) {
        return new HeadSpec(kind, s, m, m1, m2, m3, learnScale, easyMargin, marginWarmup, multiplier);
    }

    public HeadSpec withLearnedScale(boolean learn) {
        return new HeadSpec(kind, s, m, m1, m2, m3, learn, easyMargin, marginWarmup, lrMultiplier);
    }

    /** The margin for this head; null for plain softmax. */
    public Margin margin() {
        return margin(kind, m, m1, m2, m3, easyMargin);
    }

    private static Margin margin(String kind, double m, double m1, double m2, double m3, boolean easy) {
        return switch (kind) {
            case "am", "cosface", "am-softmax" -> new CosineMargin(m);
            case "normface" -> new CosineMargin(0);
            case "arcface", "arc" -> new ArcMargin(m, easy);
            case "sphereface", "sphere", "a-softmax" -> {
                if (m != Math.rint(m)) throw new IllegalArgumentException("SphereFace needs an integer margin m (1..5), got " + m);
                yield new SphereMargin((int) m);
            }
            case "combined" -> new CombinedMargin(m1, m2, m3);
            case "softmax" -> null;
            default -> throw new IllegalArgumentException("unknown head '" + kind + "' (known: " + NAMES + ")");
        };
    }

    /** The output layer for {@code classes} identities on embeddings of {@code embeddingSize}. */
    public MarginSoftmax layer(long embeddingSize, long classes) {
        return MarginSoftmax.builder().margin(margin()).scale(s).learnScale(learnScale).marginWarmup(marginWarmup)
            .lrMultiplier(lrMultiplier).nIn(embeddingSize).nOut(classes).build();
    }
}
