package amface.cli;

import picocli.CommandLine.Option;

/**
 * How many aligned images are embedded at once ({@code embed}, {@code calibrate}, {@code index build} and {@code add}),
 * a picocli mixin; each command gives its default: {@code @Mixin BatchOption batch = new BatchOption(32);}.
 */
final class BatchOption {
    static final OptionRange RANGE = OptionRange.of("--batch", 1, 4096, "images per batch");

    @Option(names = "--batch", paramLabel = "N", description = "Aligned images per batch, 1 to 4096 (default: ${DEFAULT-VALUE}).")
    int size;

    BatchOption() {
        this(64);
    }

    BatchOption(int defaultSize) {
        size = defaultSize;
    }

    /** The batch size, checked. */
    int size() {
        return RANGE.check(size);
    }
}
