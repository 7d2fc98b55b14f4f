package amface.align;

/**
 * One detected face: its box {@code (x1, y1)-(x2, y2)} in image pixels, the detector's confidence, and its five
 * landmarks (null where a detector gives none).
 */
public record Face(double x1, double y1, double x2, double y2, double score, Landmarks landmarks) {
    public double width() { return x2 - x1; }

    public double height() { return y2 - y1; }

    public double centerX() { return (x1 + x2) / 2; }

    public double centerY() { return (y1 + y2) / 2; }
}
