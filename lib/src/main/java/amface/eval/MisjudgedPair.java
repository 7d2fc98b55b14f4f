package amface.eval;

/**
 * A pair the protocol got wrong in its test fold: a false accept (different people, distance below the fold's
 * threshold) or a false reject (same person, distance at or above it). {@code index} is the pair's position in
 * the evaluated list.
 */
public record MisjudgedPair(int index, boolean same, double distance, double threshold, int fold) {

    public boolean falseAccept() { return !same; }

    public boolean falseReject() { return same; }

    /** How far on the wrong side of the threshold the pair is (positive). */
    public double margin() { return same ? distance - threshold : threshold - distance; }
}
