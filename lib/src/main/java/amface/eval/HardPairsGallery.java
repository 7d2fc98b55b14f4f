package amface.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.RgbImage;

/**
 * The hardest mistakes of a verification run (false accepts with the smallest distances, false rejects with the
 * largest) as lists of {@link HardPair}, and drawn as a picture: each pair's two images side by side with its
 * distance and threshold underneath.
 */
public final class HardPairsGallery {
    private static final int PAD = 6;
    private static final int CAPTION = 44;
    private static final int TITLE = 26;

    private HardPairsGallery() { }

    /** Up to {@code n} different-person pairs accepted in their test fold, worst first. */
    public static List<HardPair> falseAccepts(VerificationPairs pairs, VerificationResult result, int n) {
        return attach(pairs, result, result.hardestFalseAccepts(n));
    }

    /** Up to {@code n} same-person pairs rejected in their test fold, worst first. */
    public static List<HardPair> falseRejects(VerificationPairs pairs, VerificationResult result, int n) {
        return attach(pairs, result, result.hardestFalseRejects(n));
    }

    private static List<HardPair> attach(VerificationPairs pairs, VerificationResult result, List<MisjudgedPair> judged) {
        if (pairs.size() != result.pairs()) {
            throw new IllegalArgumentException("the result has " + result.pairs() + " pairs, the pair list " + pairs.size() + ": not the same run");
        }
        List<HardPair> out = new ArrayList<>();
        for (MisjudgedPair j : judged) out.add(new HardPair(pairs.get(j.index()), j));
        return out;
    }

    /**
     * Draws {@code pairs} (images under {@code root}) in rows of {@code perRow}, each image scaled to
     * {@code thumbHeight} pixels high; an image that cannot be read is drawn as a grey box saying so.
     */
    public static BufferedImage render(String title, List<HardPair> pairs, Path root, int perRow, int thumbHeight) {
        if (perRow < 1 || thumbHeight < 8) throw new IllegalArgumentException("perRow >= 1 and thumbHeight >= 8 needed");
        int thumbWidth = thumbHeight;
        List<BufferedImage[]> thumbs = new ArrayList<>();
        for (HardPair p : pairs) {
            BufferedImage l = load(root, p.pair().left()), r = load(root, p.pair().right());
            thumbWidth = Math.max(thumbWidth, (int) Math.round((double) l.getWidth() * thumbHeight / l.getHeight()));
            thumbs.add(new BufferedImage[] {l, r});
        }
        int cellW = 2 * thumbWidth + PAD, cellH = thumbHeight + CAPTION;
        int rows = Math.max(1, (pairs.size() + perRow - 1) / perRow);
        int cols = Math.max(1, Math.min(perRow, pairs.size()));
        int w = PAD + cols * (cellW + PAD), h = TITLE + rows * (cellH + PAD) + PAD;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(pairs.isEmpty() ? title + ": none" : title, PAD, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < pairs.size(); i++) {
                int x = PAD + (i % perRow) * (cellW + PAD), y = TITLE + (i / perRow) * (cellH + PAD);
                BufferedImage[] t = thumbs.get(i);
                g.drawImage(t[0], x, y, thumbWidth, thumbHeight, null);
                g.drawImage(t[1], x + thumbWidth + PAD, y, thumbWidth, thumbHeight, null);
                HardPair p = pairs.get(i);
                MisjudgedPair j = p.judgement();
                g.setColor(j.falseAccept() ? new Color(0xB0, 0x30, 0x20) : new Color(0x20, 0x50, 0xA0));
                // The title says accepted or rejected; the cell gives distance vs threshold and where the pair is.
                String verdict = String.format(java.util.Locale.ROOT, "%.3f %s %.3f", j.distance(), j.falseAccept() ? "<" : ">=", j.threshold());
                g.drawString(fit(g, verdict + (p.pair().line() > 0 ? ", line " + p.pair().line() : ""), cellW), x, y + thumbHeight + 13);
                g.setColor(Color.DARK_GRAY);
                g.drawString(fit(g, name(p.pair().left()), cellW), x, y + thumbHeight + 26);
                g.drawString(fit(g, name(p.pair().right()), cellW), x, y + thumbHeight + 39);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@code text}, shortened with an ellipsis to fit {@code width} pixels. */
    private static String fit(Graphics2D g, String text, int width) {
        java.awt.FontMetrics m = g.getFontMetrics();
        if (m.stringWidth(text) <= width) return text;
        String t = text;
        while (t.length() > 1 && m.stringWidth(t + "\u2026") > width) t = t.substring(0, t.length() - 1);
        return t + "\u2026";
    }

    private static String name(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static BufferedImage load(Path root, String relative) {
        try {
            return toBufferedImage(ImageReader.read(root.resolve(relative)));
        } catch (BadImageException e) {
            BufferedImage box = new BufferedImage(96, 112, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = box.createGraphics();
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(0, 0, 96, 112);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString("no image", 24, 58);
            g.dispose();
            return box;
        }
    }

    static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = img.rgb();
        int[] row = new int[img.width()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = (y * img.width() + x) * 3;
                row[x] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
            }
            out.setRGB(0, y, img.width(), 1, row, 0, img.width());
        }
        return out;
    }
}
