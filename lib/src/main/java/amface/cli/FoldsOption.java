package amface.cli;

import picocli.CommandLine.Option;

/** The folds of the LFW-style cross-validation of {@code eval} and {@code calibrate} (a picocli mixin). */
final class FoldsOption {
    static final OptionRange RANGE = OptionRange.of("--folds", 2, 1000, "cross-validation folds");

    @Option(names = "--folds", defaultValue = "10", paramLabel = "K",
        description = "Cross-validation folds (thresholds chosen on the others, measured on each), 2 to 1000 and at most the number of pairs (default: ${DEFAULT-VALUE}).")
    int folds;

    /** The fold count, checked against the range (the pair count is checked once the pairs are read). */
    int folds() {
        return RANGE.check(folds);
    }
}
