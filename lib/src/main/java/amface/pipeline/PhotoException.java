package amface.pipeline;

import java.nio.file.Path;

/** A photo the pipeline cannot use (unreadable, or no face in it): the message names the file and the reason. */
public class PhotoException extends IllegalArgumentException {
    private final transient Path photo;

    public PhotoException(Path photo, String reason, Throwable cause) {
        super(photo + ": " + reason, cause);
        this.photo = photo;
    }

    /** The photo that could not be used. */
    public Path photo() { return photo; }
}
