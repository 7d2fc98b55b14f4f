package amface.train;

/** Training cannot go on: the message says why in one line (the step, the file, the numbers) and what is kept. */
public class TrainingException extends RuntimeException {
    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
