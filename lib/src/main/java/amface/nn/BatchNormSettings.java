package amface.nn;

/**
 * A backbone family's batch-norm constants: the epsilon added to the variance and the running-average decay.
 * They belong to the family because imported weights were trained (and their statistics gathered) with them.
 *
 * @param epsilon added to the variance before the square root
 * @param decay   running average: {@code running = decay * running + (1 - decay) * batch} (PyTorch's momentum is
 *                {@code 1 - decay})
 */
public record BatchNormSettings(double epsilon, double decay) {
    /** The AM-softmax reference's (TensorFlow slim): epsilon 1e-3, decay 0.995; ResFace and L-ResNet-E-IR. */
    public static final BatchNormSettings REFERENCE = new BatchNormSettings(1e-3, 0.995);
    /** PyTorch's defaults, as insightface's arcface_torch trains its IResNets: epsilon 1e-5, momentum 0.1. */
    public static final BatchNormSettings PYTORCH = new BatchNormSettings(1e-5, 0.9);

    public BatchNormSettings {
        if (!(epsilon > 0)) throw new IllegalArgumentException("batch-norm epsilon must be positive: " + epsilon);
        if (!(decay >= 0 && decay <= 1)) throw new IllegalArgumentException("batch-norm decay must be in [0, 1]: " + decay);
    }
}
