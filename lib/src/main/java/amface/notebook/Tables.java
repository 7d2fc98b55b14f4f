package amface.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import amface.nn.Backend;
import amface.config.ConfigKey;
import amface.train.TrainConfig;

/**
 * amface's objects as two-column "what / value" tables for a notebook: the backend, a few settings of a
 * {@link TrainConfig} by name, or the settings that differ from the defaults. A notebook names a key once.
 * <pre>{@code
 * Tables.backend(Backend.describe())
 * Tables.config(c, "model", "head", "s", "m", "batch", "steps")
 * Tables.changedSettings(c)
 * }</pre>
 */
public final class Tables {
    private Tables() { }

    /** The backend's properties, one row each (memory in GiB, -1 where the device does not say). */
    public static Table backend(Backend b) {
        return Table.create("backend", StringColumn.create("property",
                "summary", "backend", "device", "cores", "oneDNN", "cuDNN", "SIMD build", "memory (GiB)", "nd4j native jar"),
            StringColumn.create("value", b.summary(), b.backend(), b.device(), String.valueOf(b.cores()),
                String.valueOf(b.onednn()), String.valueOf(b.cudnn()), b.simd(),
                b.deviceMemoryBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", b.deviceMemoryBytes() / (double) (1L << 30)),
                b.nd4jClassifier()));
    }

    /** The named settings of {@code c}, in the order given (an unset path shows as blank); an unknown key is an error. */
    public static Table config(TrainConfig c, String... keys) {
        return config("settings", c, List.of(keys));
    }

    /** {@link #config(TrainConfig, String...)} with a table name such as "recipe". */
    public static Table config(String name, TrainConfig c, List<String> keys) {
        Properties p = c.toProperties();
        TreeSet<String> known = new TreeSet<>(fieldOrder());
        StringColumn setting = StringColumn.create("setting"), value = StringColumn.create("value");
        for (String k : keys) {
            if (!known.contains(k)) throw new IllegalArgumentException("no setting '" + k + "' in TrainConfig (known: " + String.join(", ", known) + ")");
            setting.append(k);
            value.append(Objects.toString(p.getProperty(k), ""));
        }
        return Table.create(name, setting, value);
    }

    /** The settings of {@code c} that differ from {@link TrainConfig#defaults()}, with the default beside each. */
    public static Table changedSettings(TrainConfig c) {
        Properties p = c.toProperties(), d = TrainConfig.defaults().toProperties();
        StringColumn setting = StringColumn.create("setting"), value = StringColumn.create("value"), dflt = StringColumn.create("default");
        for (String k : changedKeys(p, d)) {
            setting.append(k);
            value.append(Objects.toString(p.getProperty(k), ""));
            dflt.append(Objects.toString(d.getProperty(k), ""));
        }
        return Table.create("settings that differ from the defaults", setting, value, dflt);
    }

    /** Keys whose value differs between the two, in the config's field order. */
    private static List<String> changedKeys(Properties p, Properties defaults) {
        List<String> out = new ArrayList<>();
        for (String k : fieldOrder()) {
            if (!Objects.equals(p.getProperty(k), defaults.getProperty(k))) out.add(k);
        }
        return out;
    }

    /** The config's keys in declaration order, from its settings registry (the fields group related keys). */
    private static List<String> fieldOrder() {
        return TrainConfig.keys().all().stream().map(ConfigKey::name).toList();
    }
}
