package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ChartPngTest {

    static XYChart chart(int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title("loss").xAxisTitle("step").build();
        chart.addSeries("train", new double[] {0, 1, 2, 3}, new double[] {4, 2, 1.5, 1});
        return chart;
    }

    @Test
    void pngDecodesToTheChartsSizeWithSomethingDrawn() throws Exception {
        XYChart chart = chart(320, 240);
        chart.getStyler().setToolTipsEnabled(true);
        byte[] png = ChartPng.png(chart);
        BufferedImage im = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(320, im.getWidth());
        assertEquals(240, im.getHeight());
        assertFalse(chart.getStyler().isToolTipsEnabled(), "tooltips are switched off for bitmap export");
        // The series line and axis text make a good share of the pixels non-white.
        int dark = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                int rgb = im.getRGB(x, y);
                int lum = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                if (lum < 128) dark++;
            }
        }
        assertTrue(dark > 300, "expected a drawn chart, found only " + dark + " dark pixels");
    }

    @Test
    void leavesAChartWithManyEquallySpacedPointsAsItWas() {
        double[] x = new double[400], y = new double[400];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = 1.0 / (i + 1);
        }
        XYChart chart = new XYChartBuilder().width(300).height(200).build();
        chart.addSeries("loss", x, y);
        chart.getStyler().setYAxisLogarithmic(true);
        BufferedImage im = ChartPng.image(chart);
        assertEquals(300, im.getWidth());
        assertEquals(java.util.Set.of("loss"), chart.getSeriesMap().keySet(), "the temporary tick anchor is removed");
    }

    @Test
    void equallySpacedYValuesAlsoGetTheTemporaryAnchor() {
        // A ROC's true positive rates are k/n: XChart would label every one of them.
        double[] x = new double[201], y = new double[201];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sqrt(i / 200.0) * 0.3;
            y[i] = i / 200.0;
        }
        XYChart chart = new XYChartBuilder().width(300).height(200).build();
        chart.addSeries("roc", x, y);
        assertEquals(200, ChartPng.image(chart).getHeight());
        assertEquals(java.util.Set.of("roc"), chart.getSeriesMap().keySet(), "the temporary tick anchor is removed");
    }

    @Test
    void rowPlacesChartsSideBySide() {
        BufferedImage row = ChartPng.row(List.of(chart(200, 150), chart(300, 180)));
        assertEquals(500, row.getWidth());
        assertEquals(180, row.getHeight());
        // below the shorter chart the canvas stays white
        assertEquals(0xffffff, row.getRGB(100, 170) & 0xffffff);
    }

    @Test
    void writeRowWritesThePngOfTheRow(@TempDir Path dir) throws Exception {
        Path file = ChartPng.writeRow(dir.resolve("figure.png"), List.of(chart(200, 150), chart(300, 180)));
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(500, read.getWidth());
        assertEquals(180, read.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }
}
