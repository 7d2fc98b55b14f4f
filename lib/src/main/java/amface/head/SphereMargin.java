package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
/**
 * SphereFace's multiplicative angular margin (A-softmax, Liu et al. 2017): {@code psi(theta) = (-1)^k cos(m theta)
 * - 2k} with {@code k = floor(m theta / pi)}, {@code cos(m theta)} as the Chebyshev polynomial of c (integer m).
 * Training starts close to plain softmax and anneals: the target logit is {@code (lambda c + psi) / (1 + lambda)}
 * with {@code lambda = max(lambdaMin, lambdaBase * (1 + gamma * step)^-power)} (the Caffe recipe: 1000, 0.12, 1, 5).
 * Logits are scaled by the embedding's norm, as in the paper; only the class weights are normalised.
 * The margin warm-up, if set, also ramps m's effect: {@code lambda} is raised so that psi weighs {@code warm} of
 * its annealed share.
 */
public final class SphereMargin extends Margin {
    @JsonProperty private int m;
    @JsonProperty private double lambdaBase;
    @JsonProperty private double gamma;
    @JsonProperty private double power;
    @JsonProperty private double lambdaMin;

    private SphereMargin() { } // Jackson

    public SphereMargin(int m, double lambdaBase, double gamma, double power, double lambdaMin) {
        if (m < 1 || m > 5) throw new IllegalArgumentException("SphereFace margin m must be an integer 1..5, got " + m);
        if (!(lambdaBase >= 0 && gamma >= 0 && power >= 0 && lambdaMin >= 0)) {
            throw new IllegalArgumentException("SphereFace lambda annealing parameters must be >= 0");
        }
        this.m = m;
        this.lambdaBase = lambdaBase;
        this.gamma = gamma;
        this.power = power;
        this.lambdaMin = lambdaMin;
    }

    /** The Caffe recipe: lambda = max(5, 1000 * (1 + 0.12 step)^-1). */
    public SphereMargin(int m) {
        this(m, 1000, 0.12, 1, 5);
    }

    /** The Caffe recipe for a margin given as a number, which must be a whole one. */
    public static SphereMargin integer(double m) {
        if (m != Math.rint(m)) throw new IllegalArgumentException("SphereFace needs an integer margin m (1..5), got " + m);
        return new SphereMargin((int) m);
    }

    public int m() { return m; }

    /** lambda at a training step (before warm-up). */
    public double lambda(long step) {
        return Math.max(lambdaMin, lambdaBase * Math.pow(1 + gamma * step, -power));
    }

    @Override
    public boolean scalesByFeatureNorm() {
        return true;
    }

    @Override
    public void target(double cos, double warm, long step, double[] out) {
        double lambda = lambda(step);
        // psi's weight is 1/(1+lambda); the warm-up scales it: w = warm/(1+lambda)
        double w = warm / (1 + lambda);
        double c = Math.max(-1, Math.min(1, cos));
        int k = (int) Math.floor(m * Math.acos(clampForAngle(cos)) / Math.PI);
        double sign = (k % 2 == 0) ? 1 : -1;
        double psi = sign * chebyshev(m, c) - 2 * k;
        double dpsi = sign * chebyshevDerivative(m, c);
        out[0] = (1 - w) * cos + w * psi;
        out[1] = (1 - w) + w * dpsi;
    }

    /** cos(m theta) as a polynomial in c = cos(theta). */
    static double chebyshev(int m, double c) {
        return switch (m) {
            case 1 -> c;
            case 2 -> 2 * c * c - 1;
            case 3 -> (4 * c * c - 3) * c;
            case 4 -> (8 * c * c - 8) * c * c + 1;
            case 5 -> ((16 * c * c - 20) * c * c + 5) * c;
            default -> throw new IllegalArgumentException("m " + m);
        };
    }

    static double chebyshevDerivative(int m, double c) {
        return switch (m) {
            case 1 -> 1;
            case 2 -> 4 * c;
            case 3 -> 12 * c * c - 3;
            case 4 -> (32 * c * c - 16) * c;
            case 5 -> (80 * c * c - 60) * c * c + 5;
            default -> throw new IllegalArgumentException("m " + m);
        };
    }

    @Override
    public String describe() {
        return "SphereFace m=" + m + " (lambda " + lambdaBase + " -> " + lambdaMin + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SphereMargin s && s.m == m && s.lambdaBase == lambdaBase && s.gamma == gamma
            && s.power == power && s.lambdaMin == lambdaMin;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(m, lambdaBase, gamma, power, lambdaMin);
    }
}
