package amface.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The settings of a config class (its public fields marked {@link Setting}), in declaration order: the one parser
 * of {@code key = value} settings for training configs, the CLI, the sweep and model files' backbone descriptions.
 *
 * <pre>{@code
 * ConfigKeys<TrainConfig> keys = TrainConfig.keys();
 * keys.apply(config, properties, "run.properties");  // unknown key, bad type or out of range: one line
 * keys.check(config, "config");                      // every field's current value against its range
 * }</pre>
 */
public final class ConfigKeys<T> {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /** The settings of {@code type}, with the defaults a fresh {@code defaults.get()} holds. */
    public ConfigKeys(Class<T> type, Supplier<T> defaults) {
        this(type, defaults, "");
    }

    /** As {@link #ConfigKeys(Class, Supplier)} with keys written {@code prefix + field name} (e.g. {@code sweep.seeds}). */
    public ConfigKeys(Class<T> type, Supplier<T> defaults, String prefix) {
        T fresh = defaults.get();
        for (Field f : type.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isPublic(mod) || Modifier.isStatic(mod)) continue;
            if (f.getAnnotation(Setting.class) == null) throw new AssertionError(type.getSimpleName() + "." + f.getName() + " lacks @Setting");
            f.setAccessible(true); // settings classes may be package-private
            try {
                keys.put(prefix + f.getName(), new ConfigKey(f, f.get(fresh), prefix));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    public List<ConfigKey> all() {
        return new ArrayList<>(keys.values());
    }

    /** The key of that name, or null. */
    public ConfigKey get(String name) {
        return keys.get(name);
    }

    /** Applies {@code key = value} settings onto {@code target}; an unknown key or a bad value names {@code source}. */
    public T apply(T target, Properties p, String source) {
        for (String name : p.stringPropertyNames()) {
            ConfigKey key = keys.get(name);
            if (key == null) {
                throw new IllegalArgumentException(source + ": unknown setting '" + name + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(keys.keySet())) + ")");
            }
            set(target, key, key.parse(p.getProperty(name), source));
        }
        for (ConfigKey key : keys.values()) {
            if (key.required() && !p.containsKey(key.name())) throw new IllegalArgumentException(source + " lacks '" + key.name() + "'");
        }
        return target;
    }

    /** Checks every setting's current value against its range and choices. */
    public T check(T target, String source) {
        for (ConfigKey key : keys.values()) key.check(value(target, key), source);
        return target;
    }

    /** Every setting as {@code key = value} (unset paths are left out). */
    public Properties toProperties(T target) {
        Properties p = new Properties();
        for (ConfigKey key : keys.values()) {
            Object v = value(target, key);
            if (v != null) p.setProperty(key.name(), ConfigKey.format(v));
        }
        return p;
    }

    /**
     * {@link #toProperties} without the settings marked {@link Setting#omittedAtDefault} that hold their default: what
     * identifies a run, unchanged by settings added later and left at their defaults.
     */
    public Properties identity(T target) {
        Properties p = toProperties(target);
        for (ConfigKey key : keys.values()) {
            if (key.field().getAnnotation(Setting.class).omittedAtDefault()
                && java.util.Objects.deepEquals(value(target, key), key.defaultValue())) p.remove(key.name());
        }
        return p;
    }

    private static Object value(Object target, ConfigKey key) {
        try {
            return key.field().get(target);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static void set(Object target, ConfigKey key, Object value) {
        try {
            key.field().set(target, value);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
