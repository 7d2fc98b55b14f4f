package amface.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --index DIR}: the gallery index a command reads or changes ({@code identify}, {@code index add|remove}; a picocli mixin). */
final class IndexFolderOption {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The gallery index folder (made by amface index build).")
    Path folder;
}
