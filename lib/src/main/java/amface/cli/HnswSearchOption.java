package amface.cli;

import amface.gallery.HnswIndex;
import picocli.CommandLine.Option;

/** The HNSW graph's search breadth of {@code identify} and {@code index bench} (a picocli mixin). */
final class HnswSearchOption {
    @Option(names = "--ef", defaultValue = "" + HnswIndex.DEFAULT_EF, paramLabel = "EF", description = "HNSW candidates per search (default: ${DEFAULT-VALUE}).")
    int ef;

    /** The candidates per search, at least 1. */
    int ef() {
        if (ef < 1) throw new UserError("--ef must be at least 1, got " + ef);
        return ef;
    }
}
