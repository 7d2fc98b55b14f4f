package amface.head;

import java.util.Locale;

/**
 * A head by name and numbers, as the CLI and the training config give it, turned into a {@link MarginSoftmax}
 * layer. The names are {@link HeadKind}'s: {@code am} (= {@code cosface}), {@code normface}, {@code arcface},
 * {@code sphereface}, {@code combined}, {@code softmax}, and their aliases.
 *
 * @param kind         the head's name, a {@link HeadKind} name or alias
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

    public HeadSpec(String kind, double s, double m, double m1, double m2, double m3, boolean learnScale,
                    boolean easyMargin, long marginWarmup, double lrMultiplier) {
        this.kind = kind.toLowerCase(Locale.ROOT);
        this.s = s;
        this.m = m;
        this.m1 = m1;
        this.m2 = m2;
        this.m3 = m3;
        this.learnScale = learnScale;
        this.easyMargin = easyMargin;
        this.marginWarmup = marginWarmup;
        this.lrMultiplier = lrMultiplier;
        margin(); // validates the name and numbers
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

    /** The registry entry of this head's kind. */
    public HeadKind headKind() {
        return HeadKind.named(kind);
    }

    /** The margin for this head; null for plain softmax. */
    public Margin margin() {
        return headKind().margin().apply(this);
    }

    /** The output layer for {@code classes} identities on embeddings of {@code embeddingSize}. */
    public MarginSoftmax layer(long embeddingSize, long classes) {
        return MarginSoftmax.builder().margin(margin()).scale(s).learnScale(learnScale).marginWarmup(marginWarmup)
            .lrMultiplier(lrMultiplier).nIn(embeddingSize).nOut(classes).build();
    }
}
