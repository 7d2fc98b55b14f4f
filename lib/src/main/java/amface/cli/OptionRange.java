package amface.cli;

import java.util.Locale;

/**
 * The valid range of a numeric command-line option, checked before any work starts, with a message that names
 * the option, the value and the range. Each option's description states the same range.
 */
record OptionRange(String option, double min, double max, String meaning) {

    /** Integers from {@code min} to {@code max}, inclusive. */
    static OptionRange of(String option, double min, double max, String meaning) {
        return new OptionRange(option, min, max, meaning);
    }

    /** Throws a {@link UserError} when {@code value} is not a finite number in the range. */
    double check(double value) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new UserError(option + " " + number(value) + " is out of range: " + describe() + " (" + meaning + ")");
        }
        return value;
    }

    int check(int value) {
        check((double) value);
        return value;
    }

    /** {@code 1 to 4096}, {@code at least 1}. */
    String describe() {
        return max == Double.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + number(min) : number(min) + " to " + number(max);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
