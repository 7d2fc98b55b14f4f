package amface.align;

/**
 * Five facial landmarks in image pixels: left eye, right eye, nose, left and right mouth corner, in the
 * detector's order (for an upright face "left" is the one with the smaller x).
 */
public record Landmarks(double[] xs, double[] ys) {
    public static final int LEFT_EYE = 0, RIGHT_EYE = 1, NOSE = 2, LEFT_MOUTH = 3, RIGHT_MOUTH = 4;

    public Landmarks {
        if (xs.length != 5 || ys.length != 5) throw new IllegalArgumentException("five landmarks needed, got " + xs.length + "/" + ys.length);
        xs = xs.clone();
        ys = ys.clone();
    }

    @Override
    public double[] xs() { return xs.clone(); }

    @Override
    public double[] ys() { return ys.clone(); }

    public double x(int i) { return xs[i]; }

    public double y(int i) { return ys[i]; }

    /**
     * The landmarks with each pair (eyes, mouth corners) ordered so that "left" has the smaller x in the image,
     * which is what the landmarks CSV promises even for faces turned upside down.
     */
    public Landmarks leftToRight() {
        double[] x = xs.clone();
        double[] y = ys.clone();
        swapIfReversed(x, y, LEFT_EYE, RIGHT_EYE);
        swapIfReversed(x, y, LEFT_MOUTH, RIGHT_MOUTH);
        return new Landmarks(x, y);
    }

    private static void swapIfReversed(double[] x, double[] y, int a, int b) {
        if (x[a] > x[b]) {
            double t = x[a]; x[a] = x[b]; x[b] = t;
            t = y[a]; y[a] = y[b]; y[b] = t;
        }
    }

    /** The points as {@code [[x0, y0], ..., [x4, y4]]}. */
    public double[][] points() {
        double[][] p = new double[5][];
        for (int i = 0; i < 5; i++) p[i] = new double[] {xs[i], ys[i]};
        return p;
    }
}
