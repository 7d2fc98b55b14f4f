package amface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ImageTransformsTest {

    @Test
    void flipMirrorsAndTwiceIsIdentity() {
        RgbImage img = TestImages.random(9, 4, 1);
        RgbImage f = ImageTransforms.flipHorizontal(img);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 9; x++) {
                for (int c = 0; c < 3; c++) assertEquals(img.get(x, y, c), f.get(8 - x, y, c));
            }
        }
        assertArrayEquals(img.rgb(), ImageTransforms.flipHorizontal(f).rgb());
    }

    @Test
    void cropCopiesTheRectangleAndChecksBounds() {
        RgbImage img = TestImages.gradient(10, 8);
        RgbImage c = ImageTransforms.crop(img, 3, 2, 4, 5);
        assertEquals(4, c.width());
        assertEquals(5, c.height());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 4; x++) {
                for (int ch = 0; ch < 3; ch++) assertEquals(img.get(x + 3, y + 2, ch), c.get(x, y, ch));
            }
        }
        assertArrayEquals(img.rgb(), ImageTransforms.crop(img, 0, 0, 10, 8).rgb());
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.crop(img, 7, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.crop(img, -1, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.crop(img, 0, 4, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.crop(img, 0, 0, 0, 5));
    }

    @Test
    void resizeAveragesWhenHalving() {
        // 2x2 blocks: area averaging of a halving is the exact block mean (here an integer)
        byte[] rgb = new byte[4 * 2 * 3];
        int[] values = {10, 20, 100, 200, 30, 40, 50, 50};
        for (int i = 0; i < 8; i++) Arrays.fill(rgb, i * 3, i * 3 + 3, (byte) values[i]);
        RgbImage half = ImageTransforms.resize(new RgbImage(4, 2, rgb), 2, 1);
        assertEquals(2, half.width());
        assertEquals(1, half.height());
        assertEquals(25, half.get(0, 0, 0));
        assertEquals(100, half.get(1, 0, 1));
    }

    @Test
    void resizeKeepsAConstantImageConstant() {
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.length; i += 3) { rgb[i] = 10; rgb[i + 1] = 120; rgb[i + 2] = (byte) 250; }
        RgbImage big = ImageTransforms.resize(new RgbImage(5, 3, rgb), 17, 11);
        assertEquals(17, big.width());
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 17; x++) {
                assertEquals(10, big.get(x, y, 0));
                assertEquals(120, big.get(x, y, 1));
                assertEquals(250, big.get(x, y, 2));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.resize(big, 0, 3));
    }

    @Test
    void randomCropShiftsWithBlackOrEdgePadding() {
        RgbImage img = TestImages.random(6, 5, 2);
        RandomCrop crop = new RandomCrop(2);
        assertArrayEquals(img.rgb(), crop.apply(img, 2, 2).rgb()); // centre window = the image
        RgbImage s = crop.apply(img, 0, 4); // content moves right by 2 and up by 2
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                int sx = x - 2;
                int sy = y + 2;
                boolean inside = sx >= 0 && sy < 5;
                for (int c = 0; c < 3; c++) assertEquals(inside ? img.get(sx, sy, c) : 0, s.get(x, y, c), "(" + x + "," + y + ")");
            }
        }
        RgbImage e = new RandomCrop(2, RandomCrop.Fill.EDGE).apply(img, 0, 4);
        assertEquals(img.get(0, 2, 1), e.get(0, 0, 1));
        assertEquals(img.get(0, 4, 2), e.get(1, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> crop.apply(img, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(-1));
    }

    @Test
    void randomCropIsReproducibleForASeedAndCoversAllOffsets() {
        RgbImage img = TestImages.random(8, 8, 3);
        RandomCrop crop = new RandomCrop(1);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(crop.apply(img, new Random(42 + i)).rgb(), crop.apply(img, new Random(42 + i)).rgb());
        }
        boolean[][] seen = new boolean[3][3];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            RgbImage out = crop.apply(img, rng);
            for (int dx = 0; dx < 3; dx++) {
                for (int dy = 0; dy < 3; dy++) {
                    if (Arrays.equals(out.rgb(), crop.apply(img, dx, dy).rgb())) seen[dx][dy] = true;
                }
            }
        }
        for (boolean[] row : seen) for (boolean b : row) assertTrue(b, "every offset in [0, 2p] is drawn");
        assertFalse(Arrays.equals(img.rgb(), crop.apply(img, 0, 0).rgb()));
    }
}
