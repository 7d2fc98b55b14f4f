package amface.sweep;

import amface.eval.VerificationResult;
import amface.train.TrainListener;

/**
 * What a sweep reports as it goes, run by run: the CLI prints a line per run, a notebook draws live curves through
 * {@link #trainListener}. Every method has an empty default.
 */
public interface SweepListener {

    /** What the sweep does with a run. */
    enum Action {
        /** finished in an earlier session: its row is kept, nothing is trained or evaluated */
        SKIP,
        /** trained before, evaluation missing: evaluate only */
        EVALUATE,
        /** a checkpoint from an earlier session: continue training from it */
        RESUME,
        /** train from scratch */
        START
    }

    /** The grid is expanded: {@code runs} runs, {@code finished} of them already in results.csv. */
    default void planned(int runs, int finished) { }

    /** Run {@code index} (1-based) of {@code total} begins with {@code action}. */
    default void runStarting(SweepRun run, int index, int total, Action action) { }

    /** The data of the run about to train or be evaluated (training identities and images, test pairs). */
    default void data(SweepRun run, SweepProtocol.Data data) { }

    /** A listener for this run's training (live loss and verification curves), or null. */
    default TrainListener trainListener(SweepRun run) { return null; }

    /** The run is trained and evaluated; its row is in results.csv. */
    default void runFinished(SweepRun run, SweepRow row, VerificationResult result) { }
}
