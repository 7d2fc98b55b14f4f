package amface.head;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The registry of head kinds: each kind's config name, its short label in sweep cells, its aliases, its paper's
 * scale and margin, and how a {@link HeadSpec} becomes its {@link Margin}. The CLI, the training config, the sweep
 * and the notebooks all read this table.
 *
 * <pre>{@code
 * HeadKind arc = HeadKind.named("arc");             // aliases resolve: arcface
 * double s = arc.paperScale(), m = arc.paperMargin(); // 64, 0.5
 * List<String> names = HeadKind.names();            // am, normface, arcface, sphereface, combined, softmax
 * }</pre>
 *
 * <p>Adding a margin head is its {@link Margin} class plus one line in {@link #ALL}.
 *
 * @param name        the config name, as stored in {@code head = ...} (and so in published run hashes)
 * @param label       the short name in sweep cells ({@code arc:0.5})
 * @param aliases     other accepted names
 * @param paperScale  the scale s its paper trains with; NaN: the config's default
 * @param paperMargin the margin m its paper trains with; NaN: the config's default
 * @param takesMargin whether {@code m} is this head's one margin (am, arcface, sphereface); false for softmax,
 *                    NormFace (m = 0) and the combined margin (m1, m2, m3)
 * @param normalised  whether logits are scaled cosines (all but plain softmax, which trains at s = 1)
 * @param margin      the margin of a spec of this kind; null for plain softmax
 * @param about       one line for help texts
 */
public record HeadKind(String name, String label, List<String> aliases, double paperScale, double paperMargin,
                       boolean takesMargin, boolean normalised, Function<HeadSpec, Margin> margin, String about) {

    /** The registry, in the order help texts list the kinds. */
    public static final List<HeadKind> ALL = List.of(
        new HeadKind("am", "am", List.of("cosface", "am-softmax"), 30, 0.35, true, true, h -> new CosineMargin(h.m()),
            "AM-softmax = CosFace, cos - m"),
        new HeadKind("normface", "normface", List.of(), Double.NaN, Double.NaN, false, true, h -> new CosineMargin(0),
            "normalised softmax, no margin"),
        new HeadKind("arcface", "arc", List.of("arc"), 64, 0.5, true, true, h -> new ArcMargin(h.m(), h.easyMargin()),
            "ArcFace, cos(theta + m)"),
        new HeadKind("sphereface", "sphere", List.of("sphere", "a-softmax"), Double.NaN, 4, true, true,
            h -> SphereMargin.integer(h.m()), "SphereFace, cos(m theta), integer m"),
        new HeadKind("combined", "combined", List.of(), Double.NaN, Double.NaN, false, true,
            h -> new CombinedMargin(h.m1(), h.m2(), h.m3()), "cos(m1 theta + m2) - m3"),
        new HeadKind("softmax", "softmax", List.of(), Double.NaN, Double.NaN, false, false, h -> null,
            "plain softmax with bias"));

    /** Every accepted name, for picocli's completion candidates and {@code @Setting(choicesOf = ...)}. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return acceptedNames().iterator();
        }
    }

    /** The kind with this name, label or alias (case-insensitive); the message lists the known names otherwise. */
    public static HeadKind named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (HeadKind k : ALL) {
            if (k.name.equals(n) || k.label.equals(n) || k.aliases.contains(n)) return k;
        }
        throw new IllegalArgumentException("unknown head '" + name + "' (known: " + String.join(", ", names()) + ")");
    }

    /** The config names of all kinds. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (HeadKind k : ALL) out.add(k.name);
        return out;
    }

    /** Every accepted name, config names first, then labels and aliases. */
    public static List<String> acceptedNames() {
        List<String> out = names();
        for (HeadKind k : ALL) {
            if (!out.contains(k.label)) out.add(k.label);
            for (String a : k.aliases) if (!out.contains(a)) out.add(a);
        }
        return out;
    }
}
