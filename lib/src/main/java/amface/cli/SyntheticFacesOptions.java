package amface.cli;

import picocli.CommandLine.Option;

/**
 * The size and difficulty of a synthetic face dataset ({@code synth}, {@code demo}), a picocli mixin; each command
 * gives its defaults: {@code @Mixin SyntheticFacesOptions faces = new SyntheticFacesOptions(500, 20, 100);}.
 */
final class SyntheticFacesOptions {
    static final OptionRange IDENTITIES = OptionRange.of("--identities", 1, 1_000_000, "training identities");
    static final OptionRange IMAGES = OptionRange.of("--images", 2, 10_000, "images per identity; same-person pairs need two");
    static final OptionRange HELD_OUT = OptionRange.of("--heldout", 2, 1_000_000, "held-out identities, or 0 for none; different-person pairs need two");
    static final OptionRange DIFFICULTY = OptionRange.of("--difficulty", 0, 1, "0 easy to 1 hard");

    @Option(names = "--identities", paramLabel = "N", description = "Training identities, 1 to 1000000 (default ${DEFAULT-VALUE}).")
    int identities;

    @Option(names = "--images", paramLabel = "M", description = "Images per identity, 2 to 10000 (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--heldout", paramLabel = "K", description = "Held-out identities for the pairs, 0 (none) or 2 to 1000000 (default ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--difficulty", paramLabel = "D", description = "0 (easy) to 1 (hard): pose, light, blur, noise, look-alikes (default ${DEFAULT-VALUE}).")
    double difficulty = 0.5;

    SyntheticFacesOptions() {
        this(500, 20, 100);
    }

    SyntheticFacesOptions(int identities, int images, int heldOut) {
        this.identities = identities;
        this.images = images;
        this.heldOut = heldOut;
    }

    /** Every value checked before any work, naming the option. */
    void check() {
        IDENTITIES.check(identities);
        IMAGES.check(images);
        if (heldOut != 0) HELD_OUT.check(heldOut);
        DIFFICULTY.check(difficulty);
    }
}
