package amface.cli;

import amface.data.Progress;
import picocli.CommandLine.Option;

/** {@code --quiet} of the long jobs ({@code train}, {@code sweep}), a picocli mixin: no progress bars. */
final class QuietOption {
    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** A text progress bar, or none with --quiet. */
    Progress progress() {
        return quiet ? null : new ConsoleProgress();
    }
}
