package amface.inference;

import java.util.Locale;

/**
 * How an activation's int8 range is chosen from its calibration values, and the histogram it is chosen from. An
 * activation {@code v} is stored as {@code clamp(round(v * 127 / r), -127, 127)}: a larger range {@code r} clips
 * fewer values but rounds every other one more coarsely. {@link #MSE} takes the range of least expected squared
 * error over the calibration values (as TensorRT's and PyTorch's histogram observers do); {@link #max()} keeps every
 * value, {@link #percentile(double)} the given share of them (amface's rule before: the 99.99th percentile).
 *
 * <pre>{@code
 * ActivationRange.Histogram h = new ActivationRange.Histogram(maxMagnitude);
 * h.add(Math.abs(v), 1);                               // every value (a weight where its error counts less)
 * float r = ActivationRange.MSE.choose(h);
 * }</pre>
 */
public record ActivationRange(String name, double share) {
    /** The range of least expected squared error (clipping plus rounding). */
    public static final ActivationRange MSE = new ActivationRange("mse", Double.NaN);

    /** The largest magnitude seen: nothing clipped. */
    public static ActivationRange max() {
        return new ActivationRange("max", 1);
    }

    /** The magnitude below which {@code share} of the values lie (weighted). */
    public static ActivationRange percentile(double share) {
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("a percentile share must be in (0, 1], got " + share);
        return new ActivationRange("percentile:" + share, share);
    }

    /** {@code mse}, {@code max} or {@code percentile:SHARE} (e.g. {@code percentile:0.9999}). */
    public static ActivationRange parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("mse")) return MSE;
        if (t.equals("max")) return max();
        if (t.startsWith("percentile:")) {
            try {
                return percentile(Double.parseDouble(t.substring("percentile:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the percentile share is not a number", e);
            }
        }
        throw new IllegalArgumentException("unknown activation range rule '" + text + "' (mse, max or percentile:SHARE)");
    }

    @Override
    public String toString() {
        return name;
    }

    /** The range this rule picks for the values in {@code h} (1 where every value is 0). */
    public float choose(Histogram h) {
        if (h.max <= 0 || h.total <= 0) return 1f;
        if (this == MSE || name.equals("mse")) return h.leastSquaredError();
        return h.quantile(share);
    }

    /**
     * Weighted magnitudes in {@value #BINS} equal bins over {@code [0, max]}. The bins are fine against int8's steps
     * (a range of at least {@code max / 16} has steps of at least 8 bins), so a bin's values may be taken at its
     * centre.
     */
    public static final class Histogram {
        static final int BINS = 2048;
        final double max;
        final double[] counts = new double[BINS];
        double total;

        public Histogram(double max) {
            this.max = max;
        }

        /** One value of magnitude {@code m} (clamped to the last bin) whose squared error counts {@code weight} times. */
        public void add(double m, double weight) {
            if (max <= 0) return;
            int b = (int) (m / max * BINS);
            counts[Math.min(BINS - 1, Math.max(0, b))] += weight;
            total += weight;
        }

        private double centre(int b) {
            return (b + 0.5) * max / BINS;
        }

        /** The upper edge of the bin where the weighted share {@code q} of values is reached. */
        float quantile(double q) {
            if (q >= 1) {
                for (int b = BINS - 1; b >= 0; b--) if (counts[b] > 0) return (float) ((b + 1) * max / BINS);
            }
            double want = q * total, seen = 0;
            for (int b = 0; b < BINS; b++) {
                seen += counts[b];
                if (seen >= want) return (float) ((b + 1) * max / BINS);
            }
            return (float) max;
        }

        /**
         * Expected squared error of storing these values at range {@code r}: a value above {@code r} saturates at
         * {@code r}; one below is rounded to a step of {@code r / 127}, which costs {@code step^2 / 12} on average
         * (a value under half a step becomes 0 and costs its square).
         */
        double error(double r) {
            double step = r / 127, rounding = step * step / 12, e = 0;
            for (int b = 0; b < BINS; b++) {
                if (counts[b] == 0) continue;
                double x = centre(b);
                e += counts[b] * (x > r ? (x - r) * (x - r) : x < step / 2 ? Math.min(x * x, rounding) : rounding);
            }
            return e;
        }

        /** The bin edge from {@code max / 64} up to {@code max} of least {@link #error}. */
        float leastSquaredError() {
            int best = BINS;
            double bestError = error(max);
            for (int k = BINS / 64; k < BINS; k++) {
                double e = error(k * max / BINS);
                if (e < bestError) {
                    bestError = e;
                    best = k;
                }
            }
            return (float) (best * max / BINS);
        }
    }
}
