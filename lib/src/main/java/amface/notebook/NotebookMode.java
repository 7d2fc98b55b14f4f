package amface.notebook;

import java.util.Locale;

/**
 * How big a notebook run is, from the environment variable {@value #VARIABLE}: {@code smoke} (a few minutes on
 * two CPU cores: what CI runs and the default) or {@code full} (real data, sized for a GPU).
 * <pre>{@code int epochs = NotebookMode.current().pick(1, 30);}</pre>
 */
public enum NotebookMode {
    SMOKE, FULL;

    public static final String VARIABLE = "AMFACE_NOTEBOOK_MODE";

    /** The mode the environment asks for; unset means smoke. */
    public static NotebookMode current() {
        return parse(System.getenv(VARIABLE));
    }

    /** {@code null} or blank is smoke; anything but smoke/full is an error naming the value. */
    public static NotebookMode parse(String value) {
        if (value == null || value.isBlank()) return SMOKE;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a notebook mode: use smoke or full");
        };
    }

    /** {@code smoke} in smoke mode, {@code full} in full mode. */
    public <T> T pick(T smoke, T full) {
        return this == SMOKE ? smoke : full;
    }

    public int pick(int smoke, int full) {
        return this == SMOKE ? smoke : full;
    }

    public double pick(double smoke, double full) {
        return this == SMOKE ? smoke : full;
    }

    public boolean isSmoke() {
        return this == SMOKE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
