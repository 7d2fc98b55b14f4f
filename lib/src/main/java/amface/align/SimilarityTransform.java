package amface.align;

/**
 * A 2-d similarity transform (rotation, uniform scale, translation) as the 2x3 matrix
 * {@code [[a, -b, tx], [b, a, ty]]}, estimated by least squares from point pairs. For 2-d points the least-squares
 * similarity without reflection has a closed form, the same optimum Umeyama's method (and scikit-image's
 * {@code SimilarityTransform.estimate}) finds.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    /** The transform that maps {@code from[i]} closest to {@code to[i]} (each {@code [x, y]}) in the least-squares sense. */
    public static SimilarityTransform estimate(double[][] from, double[][] to) {
        int n = from.length;
        if (n < 2 || to.length != n) throw new IllegalArgumentException("need at least two point pairs, got " + n + " and " + to.length);
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (int i = 0; i < n; i++) {
            fx += from[i][0]; fy += from[i][1];
            tx += to[i][0]; ty += to[i][1];
        }
        fx /= n; fy /= n; tx /= n; ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = from[i][0] - fx, py = from[i][1] - fy;
            double qx = to[i][0] - tx, qy = to[i][1] - ty;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (!(norm > 0)) throw new IllegalArgumentException("the source points all coincide: no transform is defined");
        double a = dot / norm;
        double b = cross / norm;
        return new SimilarityTransform(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }

    /** The uniform scale factor. */
    public double scale() { return Math.hypot(a, b); }

    /** The rotation in radians (counter-clockwise in x-right, y-up axes; clockwise on screen). */
    public double rotation() { return Math.atan2(b, a); }

    public double[] apply(double x, double y) {
        return new double[] {a * x - b * y + tx, b * x + a * y + ty};
    }

    /** Row-major 2x3 matrix, as OpenCV's {@code warpAffine} takes it. */
    public double[] matrix() {
        return new double[] {a, -b, tx, b, a, ty};
    }

    public SimilarityTransform inverse() {
        double s2 = a * a + b * b;
        double ia = a / s2, ib = -b / s2;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }
}
