package amface.align;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Locale;

import amface.image.RgbImage;

/**
 * Pictures for notebooks and reports: an image with its detected faces drawn on it (box, score, five landmarks;
 * the face the aligner picks in a thicker green), and a row of face chips with the template points.
 */
public final class FaceOverlay {
    private static final Color[] LANDMARK_COLORS = {Color.CYAN, Color.MAGENTA, Color.YELLOW, Color.ORANGE, Color.PINK};

    private FaceOverlay() { }

    /** A copy of {@code image} as a {@link BufferedImage} (TYPE_3BYTE_BGR). */
    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] src = image.rgb();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return b;
    }

    /** {@code image} with every face's box, score and landmarks; the face {@link FaceSelection} picks is green. */
    public static BufferedImage faces(RgbImage image, List<Face> faces) {
        BufferedImage b = toBufferedImage(image);
        Graphics2D g = b.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float line = Math.max(1.5f, Math.min(image.width(), image.height()) / 200f);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.round(line * 7))));
        int chosen = FaceSelection.pick(faces, image.width(), image.height());
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            g.setColor(i == chosen ? Color.GREEN : Color.RED);
            g.setStroke(new BasicStroke(i == chosen ? 2 * line : line));
            g.draw(new Rectangle2D.Double(f.x1(), f.y1(), f.width(), f.height()));
            g.drawString(String.format(Locale.ROOT, "%.3f", f.score()), (float) f.x1(), (float) Math.max(f.y1() - line, g.getFont().getSize()));
            if (f.landmarks() != null) dots(g, f.landmarks().xs(), f.landmarks().ys(), 1.5 * line);
        }
        g.dispose();
        return b;
    }

    /** The chips side by side, each with the template points, so a reader can see how well they line up. */
    public static BufferedImage chips(List<RgbImage> chips, AlignTemplate template) {
        if (chips.isEmpty()) throw new IllegalArgumentException("no chips to show");
        int w = template.width(), h = template.height(), gap = 4;
        BufferedImage b = new BufferedImage(chips.size() * (w + gap) - gap, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = b.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, b.getWidth(), h);
        double[][] p = template.points();
        for (int i = 0; i < chips.size(); i++) {
            int x0 = i * (w + gap);
            g.drawImage(toBufferedImage(chips.get(i)), x0, 0, null);
            double[] xs = new double[5], ys = new double[5];
            for (int k = 0; k < 5; k++) {
                xs[k] = p[k][0] + x0;
                ys[k] = p[k][1];
            }
            dots(g, xs, ys, 1.5);
        }
        g.dispose();
        return b;
    }

    private static void dots(Graphics2D g, double[] xs, double[] ys, double r) {
        for (int k = 0; k < 5; k++) {
            g.setColor(LANDMARK_COLORS[k]);
            g.fill(new Ellipse2D.Double(xs[k] - r, ys[k] - r, 2 * r, 2 * r));
        }
    }
}
