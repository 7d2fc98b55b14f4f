package amface.train;

import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param runDir               the run folder
 * @param step                 steps done
 * @param interrupted          stopped early on request (a checkpoint was saved)
 * @param lastLoss             loss of the last step
 * @param verificationAccuracy last verification accuracy on the pairs (NaN without pairs)
 * @param checkpoint           the checkpoint that holds this state (resume from it)
 * @param model                the trained {@link amface.nn.FaceModel} ({@code model.zip}, for embedding and evaluation);
 *                             null when the run stopped early
 * @param seconds              training time of the run so far
 */
public record TrainResult(Path runDir, long step, boolean interrupted, double lastLoss, double verificationAccuracy,
                          Path checkpoint, Path model, double seconds) { }
