package amface.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --model MODEL.zip}: the model file given as an option instead of as the first argument (a picocli mixin of
 * {@link ModelFileOption} and of {@code verify}, whose first arguments are the model and two photos).
 */
final class ModelOption {

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "The model file, instead of the first argument.")
    Path file;

    /** The model file from the first argument or from {@code --model}; a {@link UserError} when given twice or not at all. */
    Path or(Path argument) {
        if ((argument == null) == (file == null)) throw new UserError("give the model file either as the first argument or with --model");
        return argument != null ? argument : file;
    }
}
