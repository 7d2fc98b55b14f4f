package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import amface.image.RgbImage;

class ImageGridTest {

    static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) r;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) b;
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void conversionKeepsChannelOrder() {
        byte[] px = {(byte) 200, 10, 20, 30, (byte) 150, 40};
        BufferedImage im = ImageGrid.toBufferedImage(new RgbImage(2, 1, px));
        assertEquals(0xc80a14, im.getRGB(0, 0) & 0xffffff);
        assertEquals(0x1e9628, im.getRGB(1, 0) & 0xffffff);
    }

    @Test
    void laysOutScaledImagesRowByRow() throws Exception {
        List<RgbImage> images = List.of(solid(10, 10, 255, 0, 0), solid(10, 10, 0, 255, 0), solid(10, 10, 0, 0, 255));
        BufferedImage grid = ImageGrid.of(images).columns(2).scale(2).gap(4).image();
        assertEquals(2 * 20 + 3 * 4, grid.getWidth());
        assertEquals(2 * 20 + 3 * 4, grid.getHeight());
        assertEquals(0xff0000, grid.getRGB(4 + 10, 4 + 10) & 0xffffff);            // first row, first cell
        assertEquals(0x00ff00, grid.getRGB(4 + 20 + 4 + 10, 4 + 10) & 0xffffff);   // first row, second cell
        assertEquals(0x0000ff, grid.getRGB(4 + 10, 4 + 20 + 4 + 10) & 0xffffff);   // second row
        assertEquals(0xffffff, grid.getRGB(4 + 20 + 4 + 10, 4 + 20 + 4 + 10) & 0xffffff); // empty cell
        assertEquals(0xffffff, grid.getRGB(1, 1) & 0xffffff);                      // gap

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(ImageGrid.of(images).columns(2).output().pngBytes()));
        assertEquals(2 * 10 + 3 * 4, decoded.getWidth());
    }

    @Test
    void captionsAddARowOfTextUnderEachImage() {
        List<RgbImage> images = List.of(solid(40, 20, 0, 0, 0), solid(40, 20, 0, 0, 0));
        BufferedImage plain = ImageGrid.of(images).image();
        BufferedImage captioned = ImageGrid.of(images).captions(List.of("Aaron_Eckhart", "a very long name that will not fit")).image();
        assertTrue(captioned.getHeight() > plain.getHeight());
        int textPixels = 0;
        for (int y = 4 + 20; y < captioned.getHeight(); y++) {
            for (int x = 0; x < captioned.getWidth(); x++) if ((captioned.getRGB(x, y) & 0xffffff) != 0xffffff) textPixels++;
        }
        assertTrue(textPixels > 20, "captions should draw text (fonts installed?), found " + textPixels + " pixels");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(List.of(solid(2, 2, 0, 0, 0))).columns(0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(List.of(solid(2, 2, 0, 0, 0))).captions(List.of("a", "b")));
    }
}
