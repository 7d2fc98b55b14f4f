package amface.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.ImageReader;
import amface.image.RgbImage;
import amface.testing.TestPaths;

/** A small mixed dataset through {@link DatasetAligner}: every kind of input accounted for, and a rerun redoes nothing. */
class DatasetAlignerTest {
    private static FaceAligner aligner;

    @TempDir
    Path tmp;

    private static int opThreadsBefore;

    @BeforeAll
    static void load() {
        opThreadsBefore = OpThreads.set(1);
        aligner = new FaceAligner(MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build(), AlignTemplate.SIZE_112x96);
    }

    @AfterAll
    static void restoreOpThreads() {
        OpThreads.set(opThreadsBefore); // the surefire JVM is shared with other areas' tests
    }

    @Test
    void alignsGreyRgbaTinyAndLargeImagesAndListsBadOnes() throws IOException {
        Path raw = tmp.resolve("raw");
        Files.createDirectories(raw.resolve("Lfw"));
        Files.createDirectories(raw.resolve("Odd"));
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        Files.copy(lfw.resolve("Aaron_Eckhart/Aaron_Eckhart_0001.jpg"), raw.resolve("Lfw/color.jpg"));
        Files.copy(TestPaths.sharedData("orl/att_faces/s1/1.pgm"), raw.resolve("Odd/grey.pgm"));
        // An RGBA PNG of an LFW face with a half-transparent alpha channel.
        BufferedImage face = ImageIO.read(lfw.resolve("Aaron_Eckhart/Aaron_Eckhart_0001.jpg").toFile());
        BufferedImage rgba = new BufferedImage(face.getWidth(), face.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < face.getHeight(); y++) {
            for (int x = 0; x < face.getWidth(); x++) rgba.setRGB(x, y, (face.getRGB(x, y) & 0xffffff) | 0x80000000);
        }
        ImageIO.write(rgba, "png", raw.resolve("Odd/rgba.png").toFile());
        ImageIO.write(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), "png", raw.resolve("Odd/tiny.png").toFile());
        Files.copy(TestPaths.sharedData("photos/deepface/img49.jpg"), raw.resolve("Odd/large.jpg")); // 4352x2903
        Files.write(raw.resolve("Odd/empty.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(lfw.resolve("Aaron_Eckhart/Aaron_Eckhart_0001.jpg"));
        Files.write(raw.resolve("Odd/truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3));
        Files.writeString(raw.resolve("Odd/readme.txt"), "not an image");

        Path out = tmp.resolve("aligned");
        DatasetAligner.Summary s = DatasetAligner.builder(aligner).input(raw).output(out).threads(2).build().run();
        assertEquals(7, s.images(), "every image file is accounted for, the .txt is not an image");
        assertEquals(3, s.unreadable(), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("empty.jpg")) && s.problems().stream().anyMatch(p -> p.contains("truncated.jpg")), s.problems().toString());
        // A 3x2 image decodes, but cannot hold a face: listed by name rather than made a grey chip.
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("tiny.png: too small to hold a face (3x2 pixels")), s.problems().toString());

        Map<String, String> rows = LandmarksCsv.read(out.resolve("landmarks.csv"), false);
        assertEquals(List.of("Lfw/color.jpg", "Odd/empty.jpg", "Odd/grey.pgm", "Odd/large.jpg", "Odd/rgba.png", "Odd/tiny.png", "Odd/truncated.jpg"), List.copyOf(rows.keySet()));
        assertEquals(LandmarksCsv.HEADER, Files.readAllLines(out.resolve("landmarks.csv")).get(0));
        assertEquals("aligned", LandmarksCsv.status(rows.get("Lfw/color.jpg")));
        assertEquals("aligned", LandmarksCsv.status(rows.get("Odd/rgba.png")));
        assertEquals("aligned", LandmarksCsv.status(rows.get("Odd/grey.pgm")), "an ORL face (grey, 92x112) is found");
        assertEquals("aligned", LandmarksCsv.status(rows.get("Odd/large.jpg")));
        assertEquals("Odd/tiny.png,unreadable" + ",".repeat(15), rows.get("Odd/tiny.png"));
        assertEquals("Odd/empty.jpg,unreadable" + ",".repeat(15), rows.get("Odd/empty.jpg"));
        // The RGBA copy drops alpha, so it aligns exactly like the JPEG it came from (same pixels, lossless PNG).
        assertEquals(rows.get("Lfw/color.jpg").substring(rows.get("Lfw/color.jpg").indexOf(',')),
            rows.get("Odd/rgba.png").substring(rows.get("Odd/rgba.png").indexOf(',')), "RGBA alignment differs from RGB");

        for (String chip : new String[] {"Lfw/color.jpg", "Odd/grey.png", "Odd/rgba.png", "Odd/large.jpg"}) {
            RgbImage img = ImageReader.read(out.resolve(chip));
            assertEquals(96, img.width(), chip);
            assertEquals(112, img.height(), chip);
        }
        assertFalse(Files.exists(out.resolve("Odd/empty.jpg")));
        assertFalse(Files.exists(out.resolve("Odd/tiny.png")));

        // A rerun finds everything done and rewrites nothing.
        FileTime before = Files.getLastModifiedTime(out.resolve("Lfw/color.jpg"));
        DatasetAligner.Summary again = DatasetAligner.builder(aligner).input(raw).output(out).threads(2).build().run();
        assertEquals(7, again.resumed());
        assertEquals(s.aligned(), again.aligned());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("Lfw/color.jpg")));
        assertEquals(rows, LandmarksCsv.read(out.resolve("landmarks.csv"), false));
    }
}
