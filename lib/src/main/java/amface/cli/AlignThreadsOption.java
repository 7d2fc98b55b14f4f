package amface.cli;

import picocli.CommandLine.Option;

/** How many images {@code align} and {@code bench align} align at once (a picocli mixin); by default one per core. */
final class AlignThreadsOption {
    static final OptionRange RANGE = OptionRange.of("--threads", 1, 256, "images aligned at once");

    @Option(names = "--threads", paramLabel = "N", description = "Images aligned at once, 1 to 256 (default: all cores).")
    Integer threads;

    /** The thread count given (checked), else the number of cores. */
    int count() {
        return threads != null ? RANGE.check(threads) : Runtime.getRuntime().availableProcessors();
    }
}
