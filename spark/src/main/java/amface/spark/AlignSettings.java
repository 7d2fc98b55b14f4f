package amface.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import amface.align.AlignTemplate;
import amface.align.FaceAligner;
import amface.align.MtcnnDetector;

/**
 * What an executor needs to build the driver's {@link FaceAligner}: the MTCNN weight folder (a path every executor
 * can read), its search settings and the chip size. Serialisable, unlike the aligner; each executor thread builds
 * its own aligner once ({@link #alignerForThisThread}) and reuses it for every later task on that thread.
 *
 * <pre>{@code
 * AlignSettings s = AlignSettings.mtcnn(Path.of("/data/mtcnn")).size("112x96");
 * FaceAligner a = s.alignerForThisThread();
 * }</pre>
 */
public record AlignSettings(String weights, double minSize, double factor, double[] thresholds, String size) implements Serializable {

    public AlignSettings {
        if (thresholds.length != 3) throw new IllegalArgumentException("thresholds: three values P,R,O expected, got " + thresholds.length);
        AlignTemplate.parse(size); // a bad size fails on the driver, not in every task
        thresholds = thresholds.clone();
    }

    /** MTCNN with {@code amface align}'s defaults (min size 20, factor 0.709, thresholds 0.6,0.7,0.7) and 112x96 chips. */
    public static AlignSettings mtcnn(Path weights) {
        return new AlignSettings(weights.toAbsolutePath().normalize().toString(), 20, 0.709, new double[] {0.6, 0.7, 0.7}, "112x96");
    }

    public AlignSettings size(String hxw) { return new AlignSettings(weights, minSize, factor, thresholds, hxw); }

    public AlignSettings minSize(double px) { return new AlignSettings(weights, px, factor, thresholds, size); }

    public AlignSettings factor(double f) { return new AlignSettings(weights, minSize, f, thresholds, size); }

    public AlignSettings thresholds(double p, double r, double o) { return new AlignSettings(weights, minSize, factor, new double[] {p, r, o}, size); }

    /** A new aligner for these settings (weights read from {@link #weights}). */
    public FaceAligner newAligner() {
        MtcnnDetector d = MtcnnDetector.builder().weights(Path.of(weights)).minSize(minSize).factor(factor)
            .thresholds(thresholds[0], thresholds[1], thresholds[2]).build();
        return new FaceAligner(d, AlignTemplate.parse(size));
    }

    // One detector per executor thread: a task thread that runs many partitions loads the weights once.
    private static final ThreadLocal<Map<AlignSettings, FaceAligner>> PER_THREAD = ThreadLocal.withInitial(HashMap::new);

    /** This thread's aligner for these settings, built on first use. */
    public FaceAligner alignerForThisThread() {
        return PER_THREAD.get().computeIfAbsent(this, AlignSettings::newAligner);
    }

    // Records compare arrays by identity; the per-thread cache needs value equality.
    @Override
    public boolean equals(Object o) {
        return o instanceof AlignSettings s && s.weights.equals(weights) && s.minSize == minSize && s.factor == factor
            && Arrays.equals(s.thresholds, thresholds) && s.size.equals(size);
    }

    @Override
    public int hashCode() {
        return weights.hashCode() * 31 + Arrays.hashCode(thresholds) * 17 + size.hashCode() + Double.hashCode(minSize) + Double.hashCode(factor);
    }

    @Override
    public double[] thresholds() { return thresholds.clone(); }
}
