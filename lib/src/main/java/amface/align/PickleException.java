package amface.align;

import java.io.IOException;

/**
 * A pickle that {@link SafeUnpickler} will not load: malformed, truncated, or asking for a Python global that is
 * not on its short allow-list (for a weight file, anything but numpy's array reconstruction). The message names
 * the file and the byte offset.
 */
public final class PickleException extends IOException {
    public PickleException(String message) {
        super(message);
    }
}
