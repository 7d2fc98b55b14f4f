package amface.align;

/**
 * The face chip sizes and their 5-point templates (left eye, right eye, nose, left and right mouth corner), as the
 * reference repository aligns: 112x96 (height x width) with the SphereFace/CosFace points, and 112x112 with the same
 * points shifted 8 pixels right.
 */
public enum AlignTemplate {
    SIZE_112x96(96, 112, 0),
    SIZE_112x112(112, 112, 8);

    private static final double[][] POINTS_112x96 = {
        {30.2946, 51.6963}, {65.5318, 51.5014}, {48.0252, 71.7366}, {33.5493, 92.3655}, {62.7299, 92.2041}};

    private final int width;
    private final int height;
    private final double shiftX;

    AlignTemplate(int width, int height, double shiftX) {
        this.width = width;
        this.height = height;
        this.shiftX = shiftX;
    }

    public int width() { return width; }

    public int height() { return height; }

    /** The five template points {@code [x, y]} in chip pixels. */
    public double[][] points() {
        double[][] p = new double[5][];
        for (int i = 0; i < 5; i++) p[i] = new double[] {POINTS_112x96[i][0] + shiftX, POINTS_112x96[i][1]};
        return p;
    }

    /** The template whose shape (width:height) a network input of {@code width x height} has, or null for none. */
    public static AlignTemplate ofShape(int width, int height) {
        for (AlignTemplate t : values()) {
            if ((long) width * t.height() == (long) height * t.width()) return t;
        }
        return null;
    }

    /** Parses {@code 112x96} or {@code 112x112} (height x width, as the reference writes it). */
    public static AlignTemplate parse(String size) {
        for (AlignTemplate t : values()) {
            if (t.label().equals(size.strip())) return t;
        }
        throw new IllegalArgumentException("unknown face size '" + size + "': use 112x96 or 112x112");
    }

    /** {@code 112x96} or {@code 112x112}. */
    public String label() {
        return height + "x" + width;
    }
}
