package amface.cli;

import java.nio.file.Path;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The model file of a command that takes one model and otherwise only options ({@code calibrate}, {@code export}):
 * given as the first argument or as {@code --model}, exactly once.
 */
final class ModelFileOption {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.zip", description = "The model file (or give --model).")
    Path argument;

    @Mixin
    ModelOption option;

    /** The model file; a {@link UserError} when it is given twice or not at all. */
    Path file() {
        return option.or(argument);
    }
}
