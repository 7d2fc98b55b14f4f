package amface.head;

import java.io.Serializable;

import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * The margin of a margin-softmax head: how the target class's cosine {@code c = cos(theta)} becomes the target
 * logit {@code f(c)} before scaling. Non-target classes keep {@code f = c}.
 *
 * <p>{@code warm} in [0, 1] is the margin warm-up factor (0 = no margin, 1 = the full margin); {@code step} is the
 * training iteration, for margins that anneal (SphereFace's lambda). Implementations are small immutable values
 * stored in the model's JSON configuration (Jackson, by field).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public abstract class Margin implements Serializable {

    /**
     * Angles are taken of the cosine clamped to [-1 + EPS, 1 - EPS]: the angle is not differentiable at 0 and
     * pi, so at |c| = 1 the angular margins pass no gradient (the convention of the committed reference).
     */
    public static final double ANGLE_EPS = 1e-7;

    /** Writes {@code f(c)} to {@code out[0]} and {@code df/dc} to {@code out[1]}. */
    public abstract void target(double cos, double warm, long step, double[] out);

    /**
     * Whether the logits are scaled by the embedding's norm (SphereFace) instead of a fixed scale s; the embedding
     * is then not normalised, only the class weights are.
     */
    public boolean scalesByFeatureNorm() {
        return false;
    }

    /** A short description such as {@code AM-softmax m=0.35}. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    static double clampForAngle(double c) {
        return Math.max(-1 + ANGLE_EPS, Math.min(1 - ANGLE_EPS, c));
    }

    /** 1 where the clamp for angles passed the cosine through, 0 where it held it (no gradient). */
    static double angleGate(double c) {
        return c > -1 + ANGLE_EPS && c < 1 - ANGLE_EPS ? 1 : 0;
    }
}
