package amface.nn;

/** A model file that cannot be used: not an amface model, damaged, or of another architecture. */
public class ModelFileException extends IllegalArgumentException {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
