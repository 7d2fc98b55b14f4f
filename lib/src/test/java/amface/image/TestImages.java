package amface.image;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** Small images with known pixels for the image tests. */
final class TestImages {
    private TestImages() { }

    /** A {@code w x h} image where every sample is a different function of (x, y, c). */
    static RgbImage gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (x * 7 + y);
                rgb[i + 1] = (byte) (y * 5 + 3);
                rgb[i + 2] = (byte) (x * y + 11);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** A smooth colour ramp, which JPEG keeps closely. */
    static RgbImage smooth(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (40 + x * 2);
                rgb[i + 1] = (byte) (60 + y * 3);
                rgb[i + 2] = (byte) (128 + (x - y));
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) r.nextInt(256);
        return new RgbImage(w, h, rgb);
    }

    static BufferedImage toBufferedImage(RgbImage img, int type) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), type);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.setRGB(x, y, 0xff000000 | img.get(x, y, 0) << 16 | img.get(x, y, 1) << 8 | img.get(x, y, 2));
            }
        }
        return b;
    }
}
