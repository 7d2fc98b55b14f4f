package amface.image;

import java.io.IOException;

/** An image file that cannot be used: the message names the file and the reason (missing, empty, truncated, ...). */
public class BadImageException extends IOException {
    private final String file;
    private final String reason;

    public BadImageException(String file, String reason) {
        this(file, reason, null);
    }

    public BadImageException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file (or in-memory name) that was read. */
    public String file() { return file; }

    /** Why it could not be read, without the file name. */
    public String reason() { return reason; }
}
