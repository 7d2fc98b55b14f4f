package amface.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * A backbone family: its id in model files, its named presets, its short names and the code that adds its layers
 * to a DL4J graph. A {@link BackboneSpec} is one family plus sizes (input, channels, units, embedding, dropout).
 *
 * <pre>{@code
 * BackboneSpec spec = Backbone.named("lresnet50e-ir");   // any preset of any family
 * List<String> all = Backbone.names();                   // resface20, resface36, ... for the CLI's choices
 * Backbone family = spec.architecture();                 // LResNetEIr
 * }</pre>
 *
 * <p>Adding a family is one file (a record implementing this interface) plus its name in {@code permits} and in
 * {@link #FAMILIES} below; the CLI's choices, help texts and model loading all read this registry.
 */
public sealed interface Backbone permits ResFace, LResNetEIr, IResNet {

    /** The registry: every family amface builds, in the order help texts list them. */
    List<Backbone> FAMILIES = List.of(new ResFace(), new LResNetEIr(), new IResNet());

    /** The family's id in model files (their {@code architecture} entry); fixed once files exist. */
    String id();

    /** Ready-made specs by CLI name, in listing order. */
    Map<String, BackboneSpec> presets();

    /** The batch-norm epsilon and decay of every layer the family builds (its weights were trained with them): the reference's unless a family was trained elsewhere. */
    default BatchNormSettings batchNorm() {
        return BatchNormSettings.REFERENCE;
    }

    /** The input size (height, width) its named presets have, left out of spec names: 112x96 unless a family says otherwise. */
    default int[] nativeInput() {
        return new int[] {112, 96};
    }

    /** Fewest residual units a stage may have. */
    int minUnitsPerStage();

    /** The depth part of a spec's short name, such as {@code resface20} or {@code lresnet50e-ir}. */
    String depthName(BackboneSpec spec);

    /**
     * Adds the spec's layers to {@code g}, reading from vertex {@code input}, with layer names prefixed by
     * {@code prefix}; returns the name of the embedding vertex.
     */
    String addTo(GraphBuilder g, BackboneSpec spec, String input, String prefix);

    /** The CLI names of all presets, for picocli's completion candidates and {@code @Setting(choicesOf = ...)}. */
    final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }

    /** The model-file ids of all families. */
    final class Ids implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return FAMILIES.stream().map(Backbone::id).iterator();
        }
    }

    /** The family with this model-file id; an IllegalArgumentException naming the known ones otherwise. */
    static Backbone byId(String id) {
        for (Backbone b : FAMILIES) if (b.id().equals(id)) return b;
        throw new IllegalArgumentException("unknown architecture '" + id + "' (known: "
            + String.join(", ", FAMILIES.stream().map(Backbone::id).toList()) + ")");
    }

    /** Every preset of every family, by CLI name, in listing order. */
    static Map<String, BackboneSpec> allPresets() {
        Map<String, BackboneSpec> all = new LinkedHashMap<>();
        for (Backbone b : FAMILIES) all.putAll(b.presets());
        return all;
    }

    /** The CLI names of all presets: {@code resface20, resface36, resface64, lresnet50e-ir, lresnet50e-ir-112}. */
    static List<String> names() {
        return new ArrayList<>(allPresets().keySet());
    }

    /** A preset by CLI name (case-insensitive); an IllegalArgumentException listing the known names otherwise. */
    static BackboneSpec named(String name) {
        BackboneSpec spec = allPresets().get(name.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return spec;
    }
}
