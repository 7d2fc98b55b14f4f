package amface.train;

import java.nio.file.Path;

/**
 * What a training run reports as it goes: the notebooks draw live plots and progress bars from it, the CLI a text
 * bar. Called on the training thread; keep the work short (hand it to another thread for slow drawing). Every
 * method has an empty default, so implement only what you show.
 */
public interface TrainListener {

    /** The run starts (or resumes at {@code firstStep}) and will stop after {@code lastStep} steps. */
    default void started(TrainInfo info) { }

    /** One optimisation step is done. */
    default void step(StepMetrics metrics) { }

    /** Verification accuracy on the configured pairs, at {@code step}. */
    default void verified(long step, double accuracy, double accuracyStd) { }

    /** A checkpoint was written. */
    default void checkpointed(long step, Path file) { }

    /** The run ended: finished, or interrupted with its checkpoint saved (an error throws instead). */
    default void finished(TrainResult result) { }

    /**
     * What is being trained.
     *
     * @param firstStep   the first step this session trains (0, or the checkpoint's step on resume)
     * @param lastStep    the step the run ends at
     * @param classes     identities in the training data
     * @param images      training images
     * @param model       the backbone's name
     * @param head        the head, e.g. {@code AM-softmax m=0.35, s=30}
     * @param parameters  trainable parameters
     */
    record TrainInfo(long firstStep, long lastStep, int classes, int images, String model, String head, long parameters) { }
}
