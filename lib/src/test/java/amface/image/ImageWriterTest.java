package amface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageWriterTest {
    @TempDir Path dir;

    @Test
    void writesIntoNewFoldersAndLeavesNoTemporaryFiles() throws IOException {
        RgbImage img = TestImages.random(20, 10, 5);
        Path p = dir.resolve("a/b/face.png");
        ImageWriter.write(img, p);
        ImageWriter.write(TestImages.gradient(20, 10), p); // replaces
        assertArrayEquals(TestImages.gradient(20, 10).rgb(), ImageReader.read(p).rgb());
        try (Stream<Path> s = Files.list(p.getParent())) {
            assertEquals(List.of(p), s.toList());
        }
    }

    @Test
    void refusesUnknownExtensions() {
        RgbImage img = TestImages.gradient(2, 2);
        assertThrows(IllegalArgumentException.class, () -> ImageWriter.write(img, dir.resolve("x.tif")));
        assertThrows(IllegalArgumentException.class, () -> ImageWriter.write(img, dir.resolve("noext")));
    }

    @Test
    void matConversionsRoundTrip() {
        RgbImage img = TestImages.random(7, 5, 9);
        try (var mat = Mats.toBgrMat(img)) {
            assertEquals(7, mat.cols());
            assertEquals(5, mat.rows());
            assertEquals(3, mat.channels());
            byte[] bgr = new byte[7 * 5 * 3];
            mat.data().get(bgr);
            assertEquals(img.rgb()[0], bgr[2]); // R of pixel 0 is the third byte in BGR
            assertEquals(img.rgb()[2], bgr[0]);
            assertArrayEquals(img.rgb(), Mats.toRgbImage(mat).rgb());
        }
    }
}
