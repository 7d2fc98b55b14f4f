package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
/**
 * Additive cosine margin, {@code f(c) = c - m}: AM-softmax (Wang et al. 2018), identical to CosFace; with
 * {@code m = 0} it is NormFace.
 */
public final class CosineMargin extends Margin {
    @JsonProperty private double m;

    private CosineMargin() { } // Jackson

    public CosineMargin(double m) {
        if (!(m >= 0) || Double.isInfinite(m)) throw new IllegalArgumentException("margin m must be >= 0, got " + m);
        this.m = m;
    }

    public double m() { return m; }

    @Override
    public void target(double cos, double warm, long step, double[] out) {
        out[0] = cos - warm * m;
        out[1] = 1;
    }

    @Override
    public String describe() {
        return m == 0 ? "NormFace" : "AM-softmax m=" + m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineMargin c && c.m == m;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(m);
    }
}
