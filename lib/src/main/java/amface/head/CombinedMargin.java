package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
/**
 * The combined margin of insightface, {@code f(c) = cos(m1 * theta + m2) - m3}: SphereFace's multiplicative m1,
 * ArcFace's additive angular m2 and CosFace's additive cosine m3 in one formula ((1, 0, 0) is NormFace). The
 * warm-up ramps each from its neutral value (1, 0, 0).
 */
public final class CombinedMargin extends Margin {
    @JsonProperty private double m1;
    @JsonProperty private double m2;
    @JsonProperty private double m3;

    private CombinedMargin() { } // Jackson

    public CombinedMargin(double m1, double m2, double m3) {
        if (!(m1 >= 1) || !(m2 >= 0) || !(m3 >= 0) || Double.isInfinite(m1 + m2 + m3)) {
            throw new IllegalArgumentException("combined margin needs m1 >= 1, m2 >= 0, m3 >= 0, got (" + m1 + ", " + m2 + ", " + m3 + ")");
        }
        this.m1 = m1;
        this.m2 = m2;
        this.m3 = m3;
    }

    public double m1() { return m1; }

    public double m2() { return m2; }

    public double m3() { return m3; }

    @Override
    public void target(double cos, double warm, long step, double[] out) {
        double a = 1 + warm * (m1 - 1);
        double b = warm * m2;
        double c = clampForAngle(cos);
        double theta = Math.acos(c);
        double angle = a * theta + b;
        out[0] = Math.cos(angle) - warm * m3;
        // d/dc cos(a*acos(c) + b) = a * sin(a*theta + b) / sin(theta)
        out[1] = angleGate(cos) * a * Math.sin(angle) / Math.sqrt(1 - c * c);
    }

    @Override
    public String describe() {
        return "combined margin (m1=" + m1 + ", m2=" + m2 + ", m3=" + m3 + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CombinedMargin c && c.m1 == m1 && c.m2 == m2 && c.m3 == m3;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(m1, m2, m3);
    }
}
