package amface.notebook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart charts as PNG images, one chart or several side by side. */
public final class ChartPng {
    private ChartPng() { }

    /** The chart drawn at its own size. Tooltips are switched off: XChart's bitmap encoder fails with them on. */
    public static BufferedImage image(Chart<?, ?> chart) {
        chart.getStyler().setToolTipsEnabled(false);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        return png(image(chart));
    }

    /** Several charts in one row (for example loss, accuracy and learning rate), top-aligned on white. */
    public static BufferedImage row(List<? extends Chart<?, ?>> charts) {
        if (charts.isEmpty()) throw new IllegalArgumentException("no charts to draw");
        List<BufferedImage> images = charts.stream().map(ChartPng::image).toList();
        int width = images.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int x = 0;
            for (BufferedImage im : images) {
                g.drawImage(im, x, 0, null);
                x += im.getWidth();
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Any image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in this JVM");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
