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
 * @param checkpoint           the checkpoint that holds this state
 * @param seconds              training time of the run so far
 */
public record TrainResult(Path runDir, long step, boolean interrupted, double lastLoss, double verificationAccuracy,
                          Path checkpoint, double seconds) { }
