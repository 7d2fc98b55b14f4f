package amface.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import amface.image.RgbImage;

/**
 * Images in a grid with optional captions, drawn into one picture: face chips, alignment results, hard pairs.
 * <pre>{@code ImageGrid.of(chips).columns(8).scale(2).captions(names).show();}</pre>
 */
public final class ImageGrid {
    private static final int CAPTION_FONT_SIZE = 11;

    private final List<BufferedImage> images;
    private List<String> captions = List.of();
    private int columns = 8;
    private double scale = 1.0;
    private int gap = 4;

    private ImageGrid(List<BufferedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("an image grid needs at least one image");
        this.images = images;
    }

    /** A grid of amface images. */
    public static ImageGrid of(List<RgbImage> images) {
        List<BufferedImage> list = new ArrayList<>(images.size());
        for (RgbImage im : images) list.add(toBufferedImage(Objects.requireNonNull(im, "image")));
        return new ImageGrid(list);
    }

    /** A grid of AWT images. */
    public static ImageGrid ofBuffered(List<BufferedImage> images) {
        images.forEach(im -> Objects.requireNonNull(im, "image"));
        return new ImageGrid(List.copyOf(images));
    }

    /** Images per row (default 8). */
    public ImageGrid columns(int columns) {
        if (columns < 1) throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        this.columns = columns;
        return this;
    }

    /** Size factor applied to every image (default 1; 2 makes 112x96 chips readable). */
    public ImageGrid scale(double scale) {
        if (!(scale > 0 && scale <= 32)) throw new IllegalArgumentException("scale must be in (0, 32], got " + scale);
        this.scale = scale;
        return this;
    }

    /** One caption per image, drawn under it; fewer captions than images leave the rest blank. */
    public ImageGrid captions(List<String> captions) {
        if (captions.size() > images.size()) {
            throw new IllegalArgumentException(captions.size() + " captions for " + images.size() + " images");
        }
        this.captions = List.copyOf(captions);
        return this;
    }

    /** Pixels between cells (default 4). */
    public ImageGrid gap(int gap) {
        if (gap < 0) throw new IllegalArgumentException("gap must be >= 0, got " + gap);
        this.gap = gap;
        return this;
    }

    /** The grid as one image on white. Each cell is as large as the largest scaled image; images are centred. */
    public BufferedImage image() {
        int cellW = 1, cellH = 1;
        for (BufferedImage im : images) {
            cellW = Math.max(cellW, (int) Math.round(im.getWidth() * scale));
            cellH = Math.max(cellH, (int) Math.round(im.getHeight() * scale));
        }
        int captionH = captions.isEmpty() ? 0 : CAPTION_FONT_SIZE + 6;
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int width = cols * cellW + (cols + 1) * gap;
        int height = rows * (cellH + captionH) + (rows + 1) * gap;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                scale >= 1 ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, CAPTION_FONT_SIZE);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < images.size(); i++) {
                BufferedImage im = images.get(i);
                int cx = gap + (i % cols) * (cellW + gap);
                int cy = gap + (i / cols) * (cellH + captionH + gap);
                int w = (int) Math.round(im.getWidth() * scale), h = (int) Math.round(im.getHeight() * scale);
                g.drawImage(im, cx + (cellW - w) / 2, cy + (cellH - h) / 2, w, h, null);
                if (i < captions.size() && captions.get(i) != null) {
                    String text = fit(captions.get(i), fm, cellW);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(text, cx + (cellW - fm.stringWidth(text)) / 2, cy + cellH + 2 + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    public byte[] png() {
        return ChartPng.png(image());
    }

    /** Shows the grid in the notebook (a no-op outside one). */
    public void show() {
        Displayed.show(output());
    }

    /** What {@link #show} shows. */
    public MimeBundle output() {
        return MimeBundle.png(png(), "image grid of " + images.size() + " images");
    }

    /** An amface image as an AWT image (for drawing, ImageIO, Swing). */
    public static BufferedImage toBufferedImage(RgbImage image) {
        int w = image.width(), h = image.height();
        int[] argb = new int[w * h];
        byte[] rgb = image.rgb();
        for (int i = 0, p = 0; i < argb.length; i++, p += 3) {
            argb[i] = (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | (rgb[p + 2] & 0xff);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        return out;
    }

    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) return text;
        String dots = "...";
        int n = text.length();
        while (n > 0 && fm.stringWidth(text.substring(0, n) + dots) > width) n--;
        return text.substring(0, n) + dots;
    }
}
