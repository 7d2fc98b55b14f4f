package amface.align;

import java.util.List;

/**
 * Which face of several to align: as the reference repository picks it for dataset alignment ({@link #pick}: the
 * largest box, penalised by twice the squared distance of its centre from the image centre), or simply the largest
 * one that has landmarks ({@link #largest}), the rule of the photo pipeline behind verify and identify.
 */
public final class FaceSelection {
    private FaceSelection() { }

    /** The index of the chosen face, or -1 when {@code faces} is empty. */
    public static int pick(List<Face> faces, int imageWidth, int imageHeight) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            double area = f.width() * f.height();
            double dx = f.centerX() - imageWidth / 2.0;
            double dy = f.centerY() - imageHeight / 2.0;
            double value = area - 2.0 * (dx * dx + dy * dy);
            if (value > bestValue) {
                bestValue = value;
                best = i;
            }
        }
        return best;
    }

    /** The index of the face with the largest box that has landmarks (first of equals), or -1 for none. */
    public static int largest(List<Face> faces) {
        int best = -1;
        double bestArea = -1;
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            if (f.landmarks() == null) continue; // cannot be aligned
            double area = f.width() * f.height();
            if (area > bestArea) { bestArea = area; best = i; }
        }
        return best;
    }
}
