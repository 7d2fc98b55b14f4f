package amface.nn.layers;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a training step's time goes inside amface's layers, for measurements (off unless the system property
 * {@code amface.nn.profile=true}): nanoseconds summed per phase (convolution forward / backward, batch norm +
 * PReLU forward / backward) over all {@link ConvBnPreluLayer}s since the last {@link #reset}. The rest of a step
 * (residual adds, the embedding, head, loss, updater) is the step time minus these.
 */
public final class StepProfile {
    private StepProfile() { }

    static final boolean ON = Boolean.getBoolean("amface.nn.profile");

    /** The phases measured, in {@link #times()} order. */
    public static final String[] PHASES = {"conv forward", "bn+prelu forward", "bn+prelu backward", "conv backward"};
    static final int CONV_FWD = 0;
    static final int NORM_FWD = 1;
    static final int NORM_BWD = 2;
    static final int CONV_BWD = 3;

    private static final AtomicLongArray NANOS = new AtomicLongArray(PHASES.length);

    /** Whether profiling is on in this JVM. */
    public static boolean enabled() {
        return ON;
    }

    static long start() {
        return ON ? System.nanoTime() : 0;
    }

    static void stop(int phase, long start) {
        if (ON) NANOS.addAndGet(phase, System.nanoTime() - start);
    }

    public static void reset() {
        for (int i = 0; i < PHASES.length; i++) NANOS.set(i, 0);
    }

    /** Seconds per phase since the last reset. */
    public static double[] times() {
        double[] t = new double[PHASES.length];
        for (int i = 0; i < t.length; i++) t[i] = NANOS.get(i) / 1e9;
        return t;
    }

    /** {@code conv forward 1.23 s, ...} for people. */
    public static String describe(double[] seconds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < PHASES.length; i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f s", PHASES[i], seconds[i]));
        return b.toString();
    }
}
