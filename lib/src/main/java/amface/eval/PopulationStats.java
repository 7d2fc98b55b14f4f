package amface.eval;

/**
 * Mean and population standard deviation (divide by n, as numpy's {@code std} and the LFW protocol's reported
 * "+-" do), shared by the fold statistics of {@link VerificationResult} and the sweep's summary over runs.
 */
public final class PopulationStats {
    private PopulationStats() { }

    public static double mean(double[] x) {
        double sum = 0;
        for (double v : x) sum += v;
        return sum / x.length;
    }

    /** Population standard deviation (0 for one value). */
    public static double std(double[] x) {
        double mu = mean(x);
        double sum = 0;
        for (double v : x) sum += (v - mu) * (v - mu);
        return Math.sqrt(sum / x.length);
    }
}
