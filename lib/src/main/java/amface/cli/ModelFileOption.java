package amface.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The model file of a command that takes one model and otherwise only options ({@code calibrate}, {@code export}):
 * given as the first argument or as {@code --model}, exactly once.
 */
final class ModelFileOption {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.zip", description = "The model file (or give --model).")
    Path argument;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "The model file, instead of the first argument.")
    Path option;

    /** The model file; a {@link UserError} when it is given twice or not at all. */
    Path file() {
        return VerifyCommand.modelFile(argument, option);
    }
}
