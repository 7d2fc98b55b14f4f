package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class LiveChartTest {

    @Test
    void growsPanelsAndSeriesAndRedrawsInPlace() throws Exception {
        AtomicLong now = new AtomicLong(0);
        LiveChart chart = LiveChart.withClock(now::get).xLabel("iteration").logY("lr").panelSize(300, 200);
        for (int i = 0; i < 50; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per step: 5 s in all
            chart.add("loss", i, 5.0 / (1 + i));
            chart.add("accuracy", "train", i, i / 50.0);
            if (i % 10 == 0) chart.add("accuracy", "LFW", i, 0.5 + i / 200.0);
            chart.add("lr", i, i < 25 ? 0.1 : 0.01);
        }
        Displayed area = chart.area();
        int draws = chart.draws();
        assertTrue(draws >= 5 && draws <= 7, "about one draw a second, got " + draws);
        chart.finish();
        assertSame(area, chart.area());
        assertEquals(draws + 1, chart.draws());

        assertArrayEquals(new double[] {0, 10, 20, 30, 40}, chart.series("accuracy", "LFW")[0]);
        BufferedImage im = ImageIO.read(new ByteArrayInputStream(area.output().pngBytes()));
        assertEquals(3 * 300, im.getWidth());
        assertEquals(200, im.getHeight());
        assertTrue(area.output().get(MimeBundle.TEXT).contains("155 points"),
            area.output().get(MimeBundle.TEXT));
    }

    @Test
    void aSweepsManySeriesGetALegendColumnThatFits() throws Exception {
        LiveChart chart = LiveChart.withClock(() -> 0).panelSize(600, 320);
        for (int run = 0; run < 24; run++) {
            for (int step = 0; step <= 600; step += 5) chart.add("loss", "am:0.35:learned-s seed " + run, step, 10.0 / (1 + step + run));
        }
        BufferedImage im = chart.image();
        assertTrue(im.getWidth() > 600 + 100, "room on the right for the legend, width " + im.getWidth());
        assertTrue(im.getHeight() >= 24 * 12, "one legend line per series, height " + im.getHeight());
        if (System.getProperty("amface.chart.dump") != null) ImageIO.write(im, "png", new java.io.File(System.getProperty("amface.chart.dump")));
        // the last legend line is drawn: ink in the legend column below three quarters of the height
        int ink = 0;
        for (int y = im.getHeight() * 3 / 4; y < im.getHeight(); y++) {
            for (int x = 600; x < im.getWidth(); x++) if ((im.getRGB(x, y) & 0xFFFFFF) < 0x606060) ink++;
        }
        assertTrue(ink > 50, "legend text in the lower part of the column, dark pixels " + ink);

        LiveChart few = LiveChart.withClock(() -> 0).panelSize(600, 320);
        for (int run = 0; run < LiveChart.LEGEND_BELOW_MAX; run++) few.add("loss", "seed " + run, 1, run);
        assertEquals(600, few.image().getWidth(), "a few series keep the legend below the plot");
        assertEquals(320, few.image().getHeight());
    }

    @Test
    void drawingKeepsTheThreadsInterruptFlag() {
        AtomicLong now = new AtomicLong(0);
        LiveChart chart = LiveChart.withClock(now::get);
        try {
            for (int i = 0; i < 3; i++) {
                now.addAndGet(60_000_000_000L); // a minute later: every add draws
                Thread.currentThread().interrupt();
                chart.add("loss", i, 1.0 / (1 + i));
                assertTrue(Thread.currentThread().isInterrupted(), "draw " + i + " cleared the interrupt flag");
            }
            assertEquals(3, chart.draws());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void skipsPointsItCannotDraw() {
        LiveChart chart = LiveChart.create().logY("loss");
        chart.add("loss", 0, 2.0);
        chart.add("loss", 1, Double.NaN);     // a diverged step
        chart.add("loss", 2, 0.0);            // not on a log axis
        chart.add("loss", 3, Double.POSITIVE_INFINITY);
        chart.add("loss", 4, 1.0);
        chart.finish();
        assertEquals(5, chart.series("loss", "loss")[0].length, "every point is kept");
        assertTrue(chart.png().length > 0);
    }

    @Test
    void reportsMistakes() {
        LiveChart chart = LiveChart.create();
        assertNull(chart.area());
        assertThrows(IllegalStateException.class, chart::image);
        chart.finish(); // nothing to draw: no output area
        assertNull(chart.area());
        assertThrows(IllegalArgumentException.class, () -> chart.add("loss", Double.NaN, 1));
        chart.add("loss", 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chart.series("loss", "val"));
        assertTrue(e.getMessage().contains("val"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> chart.panelSize(10, 10));
    }
}
