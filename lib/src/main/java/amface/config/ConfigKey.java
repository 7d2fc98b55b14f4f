package amface.config;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One setting of a config class, read from its {@link Setting} annotation: key, type, default, help, valid range or
 * choices, CLI names. Parses and checks a value; every refusal is one line naming the source, the key and the value.
 *
 * <p>Types: {@code String}, {@code Path} (empty: unset), {@code int}, {@code long}, {@code double} (finite),
 * {@code boolean} (true/false), and {@code int[]}, {@code long[]}, {@code double[]} (comma-separated, blanks
 * skipped).
 *
 * @param field        the public field holding the setting
 * @param defaultValue the value a fresh config object holds (null for an unset path)
 * @param prefix       what the key's name starts with in files, such as {@code sweep.}
 */
public record ConfigKey(Field field, Object defaultValue, String prefix) {

    /** The key as written in files: the prefix and the field's name. */
    public String name() {
        return prefix + field.getName();
    }

    public boolean required() {
        return setting().required();
    }

    public Class<?> type() {
        return field.getType();
    }

    private Setting setting() {
        return field.getAnnotation(Setting.class);
    }

    public String help() {
        return setting().help();
    }

    /** The default as text, or null when there is none to show (an unset path, an empty text). */
    public String defaultText() {
        return defaultValue == null || format(defaultValue).isEmpty() ? null : format(defaultValue);
    }

    /** The CLI names: the key in kebab case ({@code --no-} first for a setting that is on by default), then aliases. */
    public List<String> flags() {
        String kebab = field.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
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
        if (!choicesFromRegistry()) return List.of(setting().choices());
        List<String> out = new java.util.ArrayList<>();
        try {
            for (Object o : setting().choicesOf().getDeclaredConstructor().newInstance()) out.add(o.toString());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(setting().choicesOf() + " cannot list the choices of " + name(), e);
        }
        return out;
    }

    /** Whether the valid values are a registry's names (backbones, heads), listed by the registry rather than here. */
    public boolean choicesFromRegistry() {
        return setting().choicesOf() != Iterable.class;
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
        if (t.isArray()) return t == double[].class ? "X1,X2,..." : "N1,N2,...";
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
            else if (t == double.class) value = finite(Double.parseDouble(v));
            else if (t.isArray()) value = list(v, t.getComponentType(), source);
            else if (t == boolean.class) {
                if (!v.equals("true") && !v.equals("false")) throw new NumberFormatException();
                value = Boolean.parseBoolean(v);
            } else throw new AssertionError("unhandled config type " + t);
        } catch (NumberFormatException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(source + ": " + name() + " = '" + v + "' is not a valid " + typeName());
        }
        check(value, source);
        return value;
    }

    /** A comma-separated list of numbers; the message names the element that is not one. */
    private Object list(String text, Class<?> element, String source) {
        List<String> parts = new java.util.ArrayList<>();
        for (String part : text.split(",")) if (!part.isBlank()) parts.add(part.strip());
        Object out = java.lang.reflect.Array.newInstance(element, parts.size());
        for (int i = 0; i < parts.size(); i++) {
            try {
                if (element == int.class) java.lang.reflect.Array.setInt(out, i, Integer.parseInt(parts.get(i)));
                else if (element == long.class) java.lang.reflect.Array.setLong(out, i, Long.parseLong(parts.get(i)));
                else java.lang.reflect.Array.setDouble(out, i, finite(Double.parseDouble(parts.get(i))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": " + name() + " = '" + text + "': '" + parts.get(i) + "' is not "
                    + (element == double.class ? "a number" : "a whole number"));
            }
            check(java.lang.reflect.Array.get(out, i), source);
        }
        return out;
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) throw new NumberFormatException();
        return d;
    }

    /** Parses a comma-separated list of whole numbers such as {@code 16,24,28}; the message names {@code what}. */
    public static int[] ints(String text, String what) {
        List<String> parts = new java.util.ArrayList<>();
        for (String part : text.split(",")) if (!part.isBlank()) parts.add(part.strip());
        int[] out = new int[parts.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Integer.parseInt(parts.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + parts.get(i) + "' is not an integer");
            }
        }
        return out;
    }

    /** Parses {@code HEIGHTxWIDTH} such as {@code 112x96}; the message names {@code what}. */
    public static int[] heightWidth(String text, String what) {
        String[] hw = text.strip().toLowerCase(Locale.ROOT).split("x");
        try {
            if (hw.length == 2) return new int[] {Integer.parseInt(hw[0].strip()), Integer.parseInt(hw[1].strip())};
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(what + " must be HEIGHTxWIDTH such as 112x96, got '" + text.strip() + "'");
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
        if (value instanceof String text && !choices.isEmpty() && choices.stream().noneMatch(text::equalsIgnoreCase)) {
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
        return t == boolean.class ? "boolean (true/false)" : t == int.class || t == long.class ? "integer"
            : t == Path.class ? "path" : "number";
    }

    /** A value as written in files: lists comma-separated, others as {@code toString}. */
    public static String format(Object value) {
        if (value instanceof int[] ints) return String.join(",", java.util.Arrays.stream(ints).mapToObj(Integer::toString).toList());
        if (value != null && value.getClass().isArray()) {
            List<String> parts = new java.util.ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) parts.add(java.lang.reflect.Array.get(value, i).toString());
            return String.join(",", parts);
        }
        return value.toString();
    }
}
