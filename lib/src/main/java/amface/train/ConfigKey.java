package amface.train;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import amface.head.HeadKind;
import amface.nn.Backbone;

/**
 * One setting of a config class, read from its {@link Setting} annotation: key, type, default, help, valid range or
 * choices, CLI names. Parses and checks a value; every refusal is one line naming the source, the key and the value.
 *
 * @param field        the public field holding the setting
 * @param defaultValue the value a fresh config object holds (null for an unset path)
 */
public record ConfigKey(Field field, Object defaultValue) {

    public String name() {
        return field.getName();
    }

    public Class<?> type() {
        return field.getType();
    }

    Setting setting() {
        return field.getAnnotation(Setting.class);
    }

    public String help() {
        return setting().help();
    }

    /** The default as text, or null when there is none to show (an unset path, an empty text). */
    public String defaultText() {
        return defaultValue == null || defaultValue.toString().isEmpty() ? null : defaultValue.toString();
    }

    /** The CLI names: the key in kebab case ({@code --no-} first for a setting that is on by default), then aliases. */
    public List<String> flags() {
        String kebab = name().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        String main = Boolean.TRUE.equals(defaultValue) ? "--no-" + kebab : "--" + kebab;
        List<String> out = new java.util.ArrayList<>(List.of(main));
        for (String a : setting().aliases()) if (!out.contains(a)) out.add(a);
        return out;
    }

    /** A boolean that is on by default: its flag turns it off. */
    public boolean negatedFlag() {
        return Boolean.TRUE.equals(defaultValue);
    }

    /** The valid values of a text setting; empty when any text goes. */
    public List<String> choices() {
        return switch (setting().choicesOf()) {
            case "" -> List.of(setting().choices());
            case "backbones" -> Backbone.names();
            case "heads" -> HeadKind.acceptedNames();
            default -> throw new AssertionError("unknown registry " + setting().choicesOf());
        };
    }

    /** Whether the valid values are a registry's names (backbones, heads), listed by the registry rather than here. */
    public boolean choicesFromRegistry() {
        return !setting().choicesOf().isEmpty();
    }

    /** What values are valid, for help texts: {@code in [1, inf)}, {@code one of sgd, nesterov, adam}; empty: any. */
    public String validValues() {
        Setting s = setting();
        if (!s.range().isEmpty()) return "in " + s.range() + (s.unset().isEmpty() ? "" : " or " + s.unset());
        List<String> choices = choices();
        return choices.isEmpty() ? "" : "one of " + String.join(", ", choices);
    }

    /** The placeholder in help texts. */
    public String label() {
        if (!setting().label().isEmpty()) return setting().label();
        Class<?> t = type();
        if (t == int.class || t == long.class) return "N";
        if (t == double.class) return "X";
        if (t == Path.class) return "PATH";
        return choices().isEmpty() ? "TEXT" : "NAME";
    }

    /** Parses {@code text} into this setting's type and checks its range or choices. */
    public Object parse(String text, String source) {
        String v = text.strip();
        Class<?> t = type();
        Object value;
        try {
            if (t == String.class) value = v;
            else if (t == Path.class) value = v.isEmpty() ? null : Path.of(v);
            else if (t == int.class) value = Integer.parseInt(v);
            else if (t == long.class) value = Long.parseLong(v);
            else if (t == double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) throw new NumberFormatException();
                value = d;
            } else if (t == boolean.class) {
                if (!v.equals("true") && !v.equals("false")) throw new NumberFormatException();
                value = Boolean.parseBoolean(v);
            } else throw new AssertionError("unhandled config type " + t);
        } catch (NumberFormatException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(source + ": " + name() + " = '" + v + "' is not a valid " + typeName());
        }
        check(value, source);
        return value;
    }

    /** Refuses a value outside the setting's range or choices, naming source, key and value. */
    public void check(Object value, String source) {
        Setting s = setting();
        if (value instanceof Number n && !s.range().isEmpty()) {
            double d = n.doubleValue();
            boolean unset = !s.unset().isEmpty() && d == Double.parseDouble(s.unset());
            if (!unset && !inRange(d, s.range())) {
                throw new IllegalArgumentException(source + ": " + name() + " = " + value + " is out of range: must be " + validValues());
            }
        }
        List<String> choices = choices();
        if (value instanceof String text && !choices.isEmpty() && !choices.contains(text.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(source + ": " + name() + " = '" + text + "' is not " + validValues());
        }
    }

    /** Whether {@code v} lies in an interval such as {@code [0, 1)} or {@code (0, inf)}. */
    static boolean inRange(double v, String interval) {
        String r = interval.strip();
        String[] ends = r.substring(1, r.length() - 1).split(",");
        double lo = bound(ends[0]), hi = bound(ends[1]);
        boolean aboveLo = r.charAt(0) == '[' ? v >= lo : v > lo;
        boolean belowHi = r.charAt(r.length() - 1) == ']' ? v <= hi : v < hi;
        return aboveLo && belowHi;
    }

    private static double bound(String s) {
        String b = s.strip();
        return b.equals("inf") ? Double.POSITIVE_INFINITY : b.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(b);
    }

    private String typeName() {
        Class<?> t = type();
        return t == boolean.class ? "boolean (true/false)" : t == int.class || t == long.class ? "integer" : t == Path.class ? "path" : "number";
    }
}
