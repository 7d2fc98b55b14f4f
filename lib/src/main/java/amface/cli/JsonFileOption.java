package amface.cli;

import java.io.IOException;
import java.nio.file.Path;

import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import picocli.CommandLine.Option;

/**
 * {@code --json OUT} of the evaluations ({@code eval}, {@code ident-eval}), a picocli mixin: the figures also as a
 * JSON file, checked before any work and written atomically while the command owns it.
 */
final class JsonFileOption {
    @Option(names = "--json", paramLabel = "OUT", description = "Also write the figures as JSON to OUT (atomically).")
    Path file;

    boolean given() {
        return file != null;
    }

    /** Refuses an OUT that is a folder before any work is done. */
    void check() {
        if (file == null) return;
        try {
            OutputFolders.requireFileOrAbsent(file, "--json");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Writes {@code json} to OUT, owned so that two commands never share it, and says so; nothing without --json. */
    void write(String command, String json) {
        if (file == null) return;
        try (FolderLock owned = FolderLock.acquireFile(file, "amface " + command + " --json " + file)) {
            AtomicFile.removeTemporariesOf(file);
            AtomicFile.writeString(file, json);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        System.out.println("wrote " + file);
    }
}
