package amface.sweep;

import java.util.Locale;

import amface.head.HeadKind;
import amface.head.HeadSpec;
import amface.train.TrainConfig;

/**
 * One head of a sweep's grid, as written in {@code sweep.cells}: {@code softmax}, {@code normface},
 * {@code am:0.35}, {@code arc:0.5}, {@code sphere:4}, with {@code :learned-s} to train the scale
 * ({@code am:0.35:learned-s}).
 *
 * <p>Plain softmax is an ordinary linear classifier: it gets s = 1 and m = 0 whatever the sweep's scales say (as
 * notebook 03 trains it), so the grid holds one softmax run per seed and fold, not one per scale. NormFace is the
 * normalised head with m = 0.
 *
 * @param head         the {@link HeadKind} name: softmax, normface, am, arcface, sphereface (aliases resolve)
 * @param m            the margin (0 for softmax and NormFace)
 * @param learnedScale train s as a parameter
 */
public record SweepCell(String head, double m, boolean learnedScale) {
    static final String LEARNED = "learned-s";

    public SweepCell {
        head = HeadKind.named(head).name();
        if (!HeadKind.named(head).normalised() && learnedScale) {
            throw new IllegalArgumentException(head + " has no scale to learn (use normface:learned-s)");
        }
        HeadSpec.of(head, 1, m); // the name and margin must make a head
    }

    /** Parses {@code head[:m][:learned-s]}; the message names the text. */
    public static SweepCell parse(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split(":");
        String name = parts[0].strip();
        boolean learned = parts.length > 1 && parts[parts.length - 1].strip().equals(LEARNED);
        int numbers = parts.length - 1 - (learned ? 1 : 0);
        HeadKind kind;
        try {
            kind = HeadKind.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown head '" + parts[0] + "' in cell '" + text.strip() + "' (" + syntax() + ")", e);
        }
        String head = kind.name();
        if (!kind.takesMargin() && numbers != 0) throw new IllegalArgumentException("cell '" + text.strip() + "': " + head + " takes no margin");
        if (kind.takesMargin() && numbers != 1) throw new IllegalArgumentException("cell '" + text.strip() + "': " + name + " needs one margin, e.g. " + name + ":0.35");
        double m = 0;
        if (numbers == 1) {
            try {
                m = Double.parseDouble(parts[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cell '" + text.strip() + "': margin '" + parts[1].strip() + "' is not a number");
            }
        }
        try {
            return new SweepCell(head, m, learned);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell '" + text.strip() + "': " + e.getMessage(), e);
        }
    }

    /** The cell syntax of every head kind: {@code am:M, normface, arc:M, ..., each optionally :learned-s}. */
    static String syntax() {
        return String.join(", ", HeadKind.ALL.stream().map(k -> k.takesMargin() ? k.label() + ":M" : k.label()).toList())
            + ", each optionally :" + LEARNED;
    }

    /** Whether this head has a margin to sweep (AM, ArcFace, SphereFace); softmax and NormFace are references. */
    public boolean hasMargin() {
        return HeadKind.named(head).takesMargin();
    }

    /** Plain softmax: an ordinary linear classifier, trained at s = 1. */
    public boolean isSoftmax() {
        return !HeadKind.named(head).normalised();
    }

    /** The scale this cell trains with when the sweep asks for {@code s}: 1 for plain softmax. */
    public double scale(double s) {
        return isSoftmax() ? 1 : s;
    }

    /** Sets the head, margin, scale and learned-scale settings of {@code c}. */
    public TrainConfig applyTo(TrainConfig c, double s) {
        c.head = head;
        c.m = m;
        c.s = scale(s);
        c.learnScale = learnedScale;
        return c;
    }

    /** The short name: {@code am:0.35}, {@code normface}, {@code arc:0.5:learned-s}. */
    public String label() {
        String name = HeadKind.named(head).label();
        String base = hasMargin() ? name + ":" + number(m) : name;
        return learnedScale ? base + ":" + LEARNED : base;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return label();
    }
}
