package amface.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import amface.image.RgbImage;
import amface.testing.TestPaths;

/**
 * The similarity transform against known transforms and against scikit-image, the warp and the centre-crop
 * fallback against OpenCV in Python, and the reference's face choice. Golden from reference/align_transform_golden.py.
 */
class FaceAlignerTest {

    @Test
    void recoversKnownSimilaritiesExactly() {
        Random r = new Random(6);
        for (int k = 0; k < 50; k++) {
            SimilarityTransform t = new SimilarityTransform(r.nextGaussian() * 2, r.nextGaussian() * 2, r.nextGaussian() * 100, r.nextGaussian() * 100);
            double[][] from = new double[5][];
            double[][] to = new double[5][];
            for (int i = 0; i < 5; i++) {
                from[i] = new double[] {r.nextDouble() * 250, r.nextDouble() * 250};
                to[i] = t.apply(from[i][0], from[i][1]);
            }
            SimilarityTransform got = SimilarityTransform.estimate(from, to);
            assertArrayEquals(t.matrix(), got.matrix(), 1e-9);
            double[] back = got.inverse().apply(to[2][0], to[2][1]);
            assertArrayEquals(from[2], back, 1e-9);
        }
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(new double[][] {{1, 1}, {1, 1}}, new double[][] {{0, 0}, {1, 1}}));
    }

    @Test
    void matchesScikitImageAndOpenCvOnGolden() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("/golden/align/similarity.csv")) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        Path photos = TestPaths.sharedData("photos");
        Map<String, RgbImage> images = new HashMap<>();
        int transforms = 0, chips = 0;
        for (String row : rows) {
            String[] f = row.split(",", -1);
            AlignTemplate template = AlignTemplate.parse(f[1]);
            if (f[0].startsWith("fallback:")) {
                RgbImage img = images.computeIfAbsent(f[0].substring(9), n -> TestImages.read(photos.resolve(n)));
                RgbImage chip = FaceAligner.centerCrop(img, template);
                assertEquals(template.width(), chip.width());
                assertChecksums(f, chip, f[0] + " " + f[1]);
                chips++;
                continue;
            }
            double[] xs = new double[5], ys = new double[5];
            for (int i = 0; i < 5; i++) {
                xs[i] = Double.parseDouble(f[2 + i]);
                ys[i] = Double.parseDouble(f[7 + i]);
            }
            Landmarks marks = new Landmarks(xs, ys);
            double[] want = new double[6];
            for (int i = 0; i < 6; i++) want[i] = Double.parseDouble(f[12 + i]);
            assertArrayEquals(want, FaceAligner.transform(marks, template).matrix(), 1e-9, f[0] + " " + f[1]);
            transforms++;
            if (!f[18].isEmpty()) {
                RgbImage img = images.computeIfAbsent(f[0], n -> TestImages.read(photos.resolve(n)));
                RgbImage chip = FaceAligner.warp(img, marks, template);
                assertEquals(template.width(), chip.width());
                assertEquals(template.height(), chip.height());
                assertChecksums(f, chip, f[0] + " " + f[1]);
                chips++;
            }
        }
        assertTrue(transforms >= 40 && chips >= 40, transforms + " transforms, " + chips + " chips");
    }

    /** Pixel sums must agree closely (the same OpenCV does the warp; double vs float matrices may flip a rounding). */
    private static void assertChecksums(String[] f, RgbImage chip, String what) {
        long sum = 0, weighted = 0;
        byte[] b = chip.rgb();
        for (int i = 0; i < b.length; i++) {
            sum += b[i] & 0xff;
            weighted += (long) (b[i] & 0xff) * (i % 97 + 1);
        }
        long wantSum = Long.parseLong(f[18]);
        long wantWeighted = Long.parseLong(f[19]);
        assertTrue(Math.abs(sum - wantSum) <= b.length / 100, what + ": pixel sum " + sum + ", OpenCV in Python " + wantSum);
        assertTrue(Math.abs(weighted - wantWeighted) <= b.length / 2, what + ": weighted sum " + weighted + ", OpenCV in Python " + wantWeighted);
    }

    @Test
    void picksTheLargestCentredFaceAndFallsBackWithoutOne() {
        Landmarks any = new Landmarks(new double[] {30, 60, 45, 35, 55}, new double[] {50, 50, 70, 90, 90});
        Face small = new Face(90, 90, 160, 160, 0.99, any);
        Face big = new Face(20, 20, 200, 200, 0.9, any);
        Face bigFar = new Face(130, 130, 250, 250, 0.95, any);
        // 250x250 image: big has area 32400, centre 15 px off in x and y (penalty 2 * 450); small 4900, centred.
        assertEquals(1, FaceSelection.pick(List.of(small, big), 250, 250), "the largest box wins when it is near the centre");
        // (0,0)-(120,120): area 14400, centre 65 px off in x and y, penalty 16900: the small centred face wins.
        assertEquals(0, FaceSelection.pick(List.of(small, new Face(0, 0, 120, 120, 0.9, any)), 250, 250), "the distance penalty outweighs size");
        assertEquals(-1, FaceSelection.pick(List.of(), 250, 250));
        assertEquals(0, FaceSelection.pick(List.of(bigFar), 250, 250));

        FaceDetector none = new FaceDetector() {
            @Override public List<Face> detect(RgbImage image) { return List.of(); }
            @Override public String name() { return "none"; }
        };
        RgbImage grey = new RgbImage(40, 30, new byte[40 * 30 * 3]);
        AlignedFace a = new FaceAligner(none, AlignTemplate.SIZE_112x112).align(grey);
        assertSame(AlignedFace.Status.FALLBACK, a.status());
        assertNull(a.face());
        assertEquals(112, a.chip().width());
        assertEquals(112, a.chip().height());
    }

    @Test
    void overlaysDrawFacesAndChipsForNotebooks() throws IOException {
        RgbImage photo = TestImages.read(TestPaths.sharedData("photos/deepface/img62.jpg"));
        Landmarks marks = new Landmarks(new double[] {300, 380, 340, 305, 375}, new double[] {180, 180, 220, 270, 270});
        Face a = new Face(253, 93, 428, 328, 0.99, marks);
        java.awt.image.BufferedImage drawn = FaceOverlay.faces(photo, List.of(a));
        assertEquals(photo.width(), drawn.getWidth());
        // The chosen face's box is drawn green, the pixels inside the box are left alone.
        int edge = drawn.getRGB(253, 200) & 0xffffff;
        assertTrue(((edge >> 8) & 0xff) > 200 && (edge >> 16 & 0xff) < 80, Integer.toHexString(edge));
        assertEquals(photo.get(350, 120, 0), drawn.getRGB(350, 120) >> 16 & 0xff);
        RgbImage chip = FaceAligner.warp(photo, marks, AlignTemplate.SIZE_112x96);
        java.awt.image.BufferedImage row = FaceOverlay.chips(List.of(chip, chip), AlignTemplate.SIZE_112x96);
        assertEquals(2 * 96 + 4, row.getWidth());
        javax.imageio.ImageIO.write(drawn, "png", TestPaths.buildDir("align").resolve("overlay-img62.png").toFile());
        javax.imageio.ImageIO.write(row, "png", TestPaths.buildDir("align").resolve("chips-img62.png").toFile());
    }

    @Test
    void leftToRightOrdersEyesAndMouthByX() {
        Landmarks upsideDown = new Landmarks(new double[] {60, 30, 45, 55, 35}, new double[] {90, 90, 70, 50, 50});
        Landmarks ordered = upsideDown.leftToRight();
        assertArrayEquals(new double[] {30, 60, 45, 35, 55}, ordered.xs());
        assertArrayEquals(new double[] {90, 90, 70, 50, 50}, ordered.ys());
    }
}
