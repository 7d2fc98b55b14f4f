package amface.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate as a function of the training step, stored with the model (Deeplearning4j calls it with its
 * iteration count, which is the trainer's step, so a resumed run continues on the same curve).
 *
 * <ul>
 *   <li>{@link #steps}: piecewise constant over epochs, as the reference's schedule file ({@code epoch: lr} lines,
 *       the rate of the largest epoch not after the current one; an epoch is {@code stepsPerEpoch} batches);</li>
 *   <li>{@link #stepDecay}: a base rate multiplied by a factor at given epochs;</li>
 *   <li>{@link #cosine}: cosine annealing from a base to a final rate over a number of steps;</li>
 *   <li>{@link #withWarmup}: any of them ramped up linearly over the first steps.</li>
 * </ul>
 */
public final class LearningRateSchedule implements ISchedule {
    public enum Kind { STEPS, COSINE }

    @JsonProperty private Kind kind = Kind.STEPS;
    @JsonProperty private int[] epochs = {0};
    @JsonProperty private double[] rates = {0.1};
    @JsonProperty private int stepsPerEpoch = 1000;
    @JsonProperty private double finalRate;
    @JsonProperty private long totalSteps;
    @JsonProperty private long warmupSteps;

    private LearningRateSchedule() { } // Jackson

    private LearningRateSchedule(Kind kind, int[] epochs, double[] rates, int stepsPerEpoch, double finalRate, long totalSteps, long warmupSteps) {
        this.kind = kind;
        this.epochs = epochs;
        this.rates = rates;
        this.stepsPerEpoch = stepsPerEpoch;
        this.finalRate = finalRate;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
    }

    public static LearningRateSchedule constant(double lr) {
        return steps(new int[] {0}, new double[] {lr}, 1000);
    }

    /** Piecewise constant: {@code rates[i]} from epoch {@code epochs[i]} on (epochs ascending, the first 0). */
    public static LearningRateSchedule steps(int[] epochs, double[] rates, int stepsPerEpoch) {
        if (epochs.length == 0 || epochs.length != rates.length) throw new IllegalArgumentException("a schedule needs matching epochs and rates");
        if (epochs[0] != 0) throw new IllegalArgumentException("a schedule must start at epoch 0, it starts at " + epochs[0]);
        for (int i = 1; i < epochs.length; i++) {
            if (epochs[i] <= epochs[i - 1]) throw new IllegalArgumentException("schedule epochs must increase: " + epochs[i - 1] + " then " + epochs[i]);
        }
        for (double r : rates) if (!(r >= 0) || Double.isInfinite(r)) throw new IllegalArgumentException("learning rate must be >= 0, got " + r);
        if (stepsPerEpoch < 1) throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
        return new LearningRateSchedule(Kind.STEPS, epochs.clone(), rates.clone(), stepsPerEpoch, 0, 0, 0);
    }

    /** {@code base}, multiplied by {@code factor} at each of {@code dropEpochs}. */
    public static LearningRateSchedule stepDecay(double base, double factor, int[] dropEpochs, int stepsPerEpoch) {
        int[] e = new int[dropEpochs.length + 1];
        double[] r = new double[dropEpochs.length + 1];
        r[0] = base;
        for (int i = 0; i < dropEpochs.length; i++) {
            e[i + 1] = dropEpochs[i];
            r[i + 1] = r[i] * factor;
        }
        return steps(e, r, stepsPerEpoch);
    }

    /** Cosine annealing from {@code base} at step 0 to {@code finalRate} at {@code totalSteps}. */
    public static LearningRateSchedule cosine(double base, double finalRate, long totalSteps) {
        if (totalSteps < 1) throw new IllegalArgumentException("cosine schedule needs total steps >= 1, got " + totalSteps);
        return new LearningRateSchedule(Kind.COSINE, new int[] {0}, new double[] {base}, 1000, finalRate, totalSteps, 0);
    }

    /** The same schedule, multiplied by {@code (step + 1) / steps} during the first {@code steps} steps. */
    public LearningRateSchedule withWarmup(long steps) {
        if (steps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        return new LearningRateSchedule(kind, epochs, rates, stepsPerEpoch, finalRate, totalSteps, steps);
    }

    /** The same schedule with epochs of {@code n} batches. */
    public LearningRateSchedule withStepsPerEpoch(int n) {
        if (n < 1) throw new IllegalArgumentException("steps per epoch must be >= 1, got " + n);
        return new LearningRateSchedule(kind, epochs, rates, n, finalRate, totalSteps, warmupSteps);
    }

    /**
     * Reads a schedule file: {@code epoch: lr} per line, {@code #} starts a comment, blank lines are ignored.
     * Errors name the file and line.
     */
    public static LearningRateSchedule read(Path file, int stepsPerEpoch) throws IOException {
        List<String> lines = Files.readAllLines(file);
        TreeMap<Integer, Double> points = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String where = file + ":" + (i + 1);
            int colon = line.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException(where + ": expected 'epoch: learning_rate', got '" + line + "'");
            int epoch;
            double lr;
            try {
                epoch = Integer.parseInt(line.substring(0, colon).strip());
                lr = Double.parseDouble(line.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": expected 'epoch: learning_rate' with an integer epoch and a number, got '" + line + "'");
            }
            if (epoch < 0) throw new IllegalArgumentException(where + ": epoch must be >= 0, got " + epoch);
            if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(where + ": learning rate must be a number >= 0, got " + lr);
            if (!points.isEmpty() && epoch <= points.lastKey()) {
                throw new IllegalArgumentException(where + ": epochs must increase, " + epoch + " follows " + points.lastKey());
            }
            points.put(epoch, lr);
        }
        if (points.isEmpty()) throw new IllegalArgumentException(file + ": no 'epoch: learning_rate' lines");
        if (points.firstKey() != 0) throw new IllegalArgumentException(file + ": the first epoch must be 0, it is " + points.firstKey());
        int[] e = points.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] r = points.values().stream().mapToDouble(Double::doubleValue).toArray();
        return steps(e, r, stepsPerEpoch);
    }

    /** The learning rate at a training step (0-based). */
    public double at(long step) {
        double lr;
        if (kind == Kind.COSINE) {
            double t = Math.min(1, step / (double) totalSteps);
            lr = finalRate + 0.5 * (rates[0] - finalRate) * (1 + Math.cos(Math.PI * t));
        } else {
            long epoch = step / stepsPerEpoch;
            lr = rates[0];
            for (int i = 0; i < epochs.length && epochs[i] <= epoch; i++) lr = rates[i];
        }
        if (warmupSteps > 0 && step < warmupSteps) lr *= (step + 1) / (double) warmupSteps;
        return lr;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(iteration);
    }

    @Override
    public ISchedule clone() {
        return new LearningRateSchedule(kind, epochs.clone(), rates.clone(), stepsPerEpoch, finalRate, totalSteps, warmupSteps);
    }

    /** A short description such as {@code steps 0:0.1 16:0.01 (epoch = 1000 batches)}. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (kind == Kind.COSINE) {
            s.append(String.format(Locale.ROOT, "cosine %g -> %g over %d steps", rates[0], finalRate, totalSteps));
        } else {
            s.append("steps");
            for (int i = 0; i < epochs.length; i++) s.append(' ').append(epochs[i]).append(':').append(String.format(Locale.ROOT, "%.4g", rates[i]));
            s.append(" (epoch = ").append(stepsPerEpoch).append(" batches)");
        }
        if (warmupSteps > 0) s.append(", warm-up ").append(warmupSteps).append(" steps");
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.kind == kind && java.util.Arrays.equals(s.epochs, epochs)
            && java.util.Arrays.equals(s.rates, rates) && s.stepsPerEpoch == stepsPerEpoch && s.finalRate == finalRate
            && s.totalSteps == totalSteps && s.warmupSteps == warmupSteps;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, java.util.Arrays.hashCode(epochs), java.util.Arrays.hashCode(rates), stepsPerEpoch,
            finalRate, totalSteps, warmupSteps);
    }

}
