package amface.io;

import java.io.IOException;
import java.nio.file.Path;

/** An output folder another job owns ({@link FolderLock}); the message names the folder and the holder. */
public final class FolderInUseException extends IOException {
    private final Path folder;

    public FolderInUseException(Path folder, String what) {
        super(folder + " " + what);
        this.folder = folder;
    }

    public Path folder() { return folder; }
}
