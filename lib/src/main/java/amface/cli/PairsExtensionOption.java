package amface.cli;

import picocli.CommandLine.Option;

/**
 * The file extension of the images an LFW-format pairs file names ({@code embed}, {@code eval}, {@code calibrate}),
 * a picocli mixin: pairs files name images without one ({@code Name 1} is {@code Name/Name_0001}), the aligned
 * images and the embeddings CSV's paths carry it. With or without the dot, as train's {@code --pairs-ext}.
 */
final class PairsExtensionOption {
    @Option(names = "--ext", defaultValue = ".jpg", paramLabel = "EXT",
        description = "Extension of the images the pairs name, with or without the dot (default: ${DEFAULT-VALUE}).")
    String ext;
}
