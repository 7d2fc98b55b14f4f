package amface.notebook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import amface.io.AtomicFile;

/** XChart charts as PNG images, one chart or several side by side. */
public final class ChartPng {
    private ChartPng() { }

    /** The chart drawn at its own size. Tooltips are switched off: XChart's bitmap encoder fails with them on. */
    public static BufferedImage image(Chart<?, ?> chart) {
        chart.getStyler().setToolTipsEnabled(false);
        if (chart instanceof XYChart xy) return withRoundTicks(xy);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * XChart puts ticks on data values when the values on an axis are equally spaced (iterations 0, 1, 2, ...; a
     * ROC's true positive rates k/n), which gives ticks such as 0, 37, 74, ... or a label every 0.035. For many
     * points, a hidden one-point series off that grid makes it fall back to round ticks (0, 100, 200, ...); the
     * series is removed again after drawing.
     */
    private static BufferedImage withRoundTicks(XYChart chart) {
        SortedSet<Double> xs = new TreeSet<>(), ys = new TreeSet<>();
        boolean xLog = chart.getStyler().isXAxisLogarithmic(), yLog = chart.getStyler().isYAxisLogarithmic();
        for (XYSeries s : chart.getSeriesMap().values()) {
            double[] x = s.getXData(), y = s.getYData();
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (xLog && x[i] <= 0) || (yLog && y[i] <= 0)) continue;
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        boolean fixX = !xLog && xs.size() > 12 && equallySpaced(xs);
        boolean fixY = !yLog && ys.size() > 12 && equallySpaced(ys);
        if ((!fixX && !fixY) || xs.isEmpty()) return BitmapEncoder.getBufferedImage(chart);
        String name = "\u0000amface-tick-anchor";
        XYSeries anchor = chart.addSeries(name, new double[] {fixX ? between(xs) : xs.first()}, new double[] {fixY ? between(ys) : ys.first()});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
        try {
            return BitmapEncoder.getBufferedImage(chart);
        } finally {
            chart.removeSeries(name);
        }
    }

    /** Half-way between the two smallest values: inside the data's range, off its grid. */
    private static double between(SortedSet<Double> values) {
        Iterator<Double> it = values.iterator();
        double first = it.next(), second = it.next();
        return first + (second - first) / 2;
    }

    private static boolean equallySpaced(SortedSet<Double> xs) {
        double step = Double.NaN, prev = Double.NaN;
        for (double x : xs) {
            if (!Double.isNaN(prev)) {
                double d = x - prev;
                if (Double.isNaN(step)) step = d;
                else if (Math.abs(d - step) > 1e-9 * Math.max(1, Math.abs(step))) return false;
            }
            prev = x;
        }
        return true;
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

    /** Writes {@link #row} of {@code charts} to {@code file} as a PNG, atomically (a figure for the docs); returns the file. */
    public static Path writeRow(Path file, List<? extends Chart<?, ?>> charts) throws IOException {
        AtomicFile.writeBytes(file, png(row(charts)));
        return file;
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
