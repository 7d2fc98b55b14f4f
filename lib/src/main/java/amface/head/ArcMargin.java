package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
/**
 * Additive angular margin, {@code f(c) = cos(theta + m)} (ArcFace, Deng et al. 2019), with the threshold handling
 * of insightface's arcface_torch: where {@code theta + m} would pass pi ({@code c <= cos(pi - m)}), the target
 * logit becomes {@code c - m sin(m)} so it keeps decreasing with theta. With {@code easyMargin} the margin applies
 * only where {@code c > 0}, and {@code f(c) = c} elsewhere.
 */
public final class ArcMargin extends Margin {
    @JsonProperty private double m;
    @JsonProperty private boolean easyMargin;

    private ArcMargin() { } // Jackson

    public ArcMargin(double m, boolean easyMargin) {
        if (!(m >= 0 && m < Math.PI)) throw new IllegalArgumentException("ArcFace margin m must be in [0, pi), got " + m);
        this.m = m;
        this.easyMargin = easyMargin;
    }

    public double m() { return m; }

    public boolean easyMargin() { return easyMargin; }

    @Override
    public void target(double cos, double warm, long step, double[] out) {
        double mm = warm * m;
        boolean apply = easyMargin ? cos > 0 : cos > Math.cos(Math.PI - mm);
        if (apply) {
            double c = clampForAngle(cos);
            double sin = Math.sqrt(1 - c * c);
            out[0] = c * Math.cos(mm) - sin * Math.sin(mm);
            out[1] = angleGate(cos) * (Math.cos(mm) + c * Math.sin(mm) / sin);
        } else if (easyMargin) {
            out[0] = cos;
            out[1] = 1;
        } else {
            out[0] = cos - mm * Math.sin(mm);
            out[1] = 1;
        }
    }

    @Override
    public String describe() {
        return "ArcFace m=" + m + (easyMargin ? " (easy margin)" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcMargin a && a.m == m && a.easyMargin == easyMargin;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(m) * 31 + Boolean.hashCode(easyMargin);
    }
}
