package amface.sweep;

import java.util.Properties;
import amface.train.TrainConfig;

/**
 * A backbone of a sweep's grid: a backbone name ({@code resface20}) or a named variant whose settings are
 * {@link TrainConfig} keys given in the sweep config as {@code sweep.model.NAME.KEY = value}
 * (e.g. {@code sweep.model.narrow.channels = 16,32,48,64}); a variant without a {@code model} key keeps the base
 * config's backbone.
 *
 * @param name      what the results table calls it
 * @param overrides TrainConfig settings of the variant (empty for a plain backbone name)
 */
public record SweepModel(String name, Properties overrides) {

    public SweepModel {
        if (name.isBlank()) throw new IllegalArgumentException("a sweep model needs a name");
        if (name.contains(",")) throw new IllegalArgumentException("model name '" + name + "' contains a comma");
        Properties copy = new Properties();
        copy.putAll(overrides);
        overrides = copy;
    }

    /** A plain backbone by name. */
    public static SweepModel named(String backbone) {
        return new SweepModel(backbone, new Properties());
    }

    public boolean isVariant() {
        return !overrides.isEmpty();
    }

    /** Sets the backbone settings of {@code c}; errors name {@code source} and the key. */
    public TrainConfig applyTo(TrainConfig c, String source) {
        if (!isVariant()) {
            c.model = name;
        } else {
            c.apply(overrides, source + " (sweep.model." + name + ")");
        }
        return c;
    }

    @Override
    public Properties overrides() {
        Properties copy = new Properties();
        copy.putAll(overrides);
        return copy;
    }
}
