package amface.cli;

import amface.eval.FlipMode;
import amface.nn.FaceModel;
import picocli.CommandLine.Option;

/**
 * The test-time flip of a command that embeds faces ({@code embed}, {@code calibrate}, {@code verify}, {@code index
 * build} and {@code add}), a picocli mixin: given, or the model's recommended mode (the one calibrate stored).
 */
final class FlipOption {
    @Option(names = "--flip", paramLabel = "MODE", description = "Test-time flip: none, sum (insightface), mean (reference repo) or concat "
        + "(facenet); default: the model's recommended mode (the one amface calibrate stored; none for models that name none).")
    String flip;

    /** Makes {@code mode} the default, where the command knows a better one than the model's (an index's flip). */
    void defaultTo(String mode) {
        if (flip == null) flip = mode;
    }

    /** Refuses an unknown mode before any work is done. */
    void check() {
        if (flip != null) FlipMode.parse(flip);
    }

    /** The mode given, else {@code fallback} (a mode's name, such as a stored threshold's or an index's). */
    FlipMode orElse(String fallback) {
        return FlipMode.parse(flip != null ? flip : fallback);
    }

    /** The mode given, else the model's recommended one. */
    FlipMode mode(FaceModel m) {
        return orElse(m.metadata().flip());
    }
}
