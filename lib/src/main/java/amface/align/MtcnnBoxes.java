package amface.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The box arithmetic of facenet's {@code detect_face}, on rows {@code [x1, y1, x2, y2, score, dx1, dy1, dx2, dy2]}.
 * Widths follow facenet (and the MATLAB original): inclusive pixel boxes ({@code x2 - x1 + 1}) except where the
 * P-Net regression is applied ({@code x2 - x1}).
 */
final class MtcnnBoxes {
    static final int X1 = 0, Y1 = 1, X2 = 2, Y2 = 3, SCORE = 4, REG = 5;

    private MtcnnBoxes() { }

    /**
     * Greedy non-maximum suppression: keeps the best box, drops those overlapping it by more than {@code threshold}
     * (intersection over union, or over the smaller box when {@code min}), repeats. Returns the kept rows, best first.
     */
    static List<double[]> nms(List<double[]> boxes, double threshold, boolean min) {
        List<double[]> order = new ArrayList<>(boxes);
        order.sort(Comparator.comparingDouble((double[] b) -> b[SCORE]).reversed());
        boolean[] dropped = new boolean[order.size()];
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (dropped[i]) continue;
            double[] a = order.get(i);
            kept.add(a);
            double areaA = (a[X2] - a[X1] + 1) * (a[Y2] - a[Y1] + 1);
            for (int j = i + 1; j < order.size(); j++) {
                if (dropped[j]) continue;
                double[] b = order.get(j);
                double w = Math.max(0, Math.min(a[X2], b[X2]) - Math.max(a[X1], b[X1]) + 1);
                double h = Math.max(0, Math.min(a[Y2], b[Y2]) - Math.max(a[Y1], b[Y1]) + 1);
                double inter = w * h;
                double areaB = (b[X2] - b[X1] + 1) * (b[Y2] - b[Y1] + 1);
                double o = min ? inter / Math.min(areaA, areaB) : inter / (areaA + areaB - inter);
                if (o > threshold) dropped[j] = true;
            }
        }
        return kept;
    }

    /** P-Net's regression, relative to the box size without the +1. */
    static void regressProposal(double[] b) {
        double w = b[X2] - b[X1];
        double h = b[Y2] - b[Y1];
        b[X1] += b[REG] * w;
        b[Y1] += b[REG + 1] * h;
        b[X2] += b[REG + 2] * w;
        b[Y2] += b[REG + 3] * h;
    }

    /** R-Net's and O-Net's regression ({@code bbreg}), relative to the inclusive box size. */
    static void regress(double[] b, double dx1, double dy1, double dx2, double dy2) {
        double w = b[X2] - b[X1] + 1;
        double h = b[Y2] - b[Y1] + 1;
        b[X1] += dx1 * w;
        b[Y1] += dy1 * h;
        b[X2] += dx2 * w;
        b[Y2] += dy2 * h;
    }

    /** Makes the box square around its centre, side = the longer side ({@code rerec}). */
    static void square(double[] b) {
        double w = b[X2] - b[X1];
        double h = b[Y2] - b[Y1];
        double l = Math.max(w, h);
        b[X1] = b[X1] + w * 0.5 - l * 0.5;
        b[Y1] = b[Y1] + h * 0.5 - l * 0.5;
        b[X2] = b[X1] + l;
        b[Y2] = b[Y1] + l;
    }

    /** Truncates the coordinates towards zero, as numpy's {@code fix}. */
    static void fix(double[] b) {
        for (int i = X1; i <= Y2; i++) b[i] = b[i] < 0 ? Math.ceil(b[i]) : Math.floor(b[i]);
    }

    static double fix(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }
}
