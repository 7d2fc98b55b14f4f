package amface.eval;

/**
 * Two images, by path relative to the dataset root, and whether they show the same person; {@code line} is where
 * the pair came from in its file (0 when it came from elsewhere), for error messages.
 */
public record LabeledPair(String left, String right, boolean same, int line) { }
