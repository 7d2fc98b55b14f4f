package amface.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoPairsTest {
    @TempDir Path dir;

    @Test
    void readsDeepfaceStylePairsRelativeToTheFile() throws Exception {
        Path csv = dir.resolve("sub/master.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, "file_x,file_y,Decision\nimg1.jpg,img2.jpg,Yes\n\nimg1.jpg, img3.jpg ,no\n/abs/x.jpg,img2.jpg,NO\n");
        PhotoPairs p = PhotoPairs.read(csv);
        Path d = csv.toAbsolutePath().getParent();
        assertEquals(new PhotoPairs.Pair(d.resolve("img1.jpg"), d.resolve("img2.jpg"), true, 2), p.pairs().get(0));
        assertEquals(new PhotoPairs.Pair(d.resolve("img1.jpg"), d.resolve("img3.jpg"), false, 4), p.pairs().get(1));
        assertEquals(Path.of("/abs/x.jpg"), p.pairs().get(2).left());
        assertArrayEquals(new boolean[] {true, false, false}, p.same());
        assertEquals(List.of(d.resolve("img1.jpg"), d.resolve("img2.jpg"), d.resolve("img3.jpg"), Path.of("/abs/x.jpg")), p.photos());
    }

    @Test
    void badFilesAreNamedWithTheLine() throws Exception {
        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, "a,b,c\n");
        assertMessage(csv, csv + ":1: expected the header file_x,file_y,Decision");
        Files.writeString(csv, "file_x,file_y,Decision\nimg1.jpg,img2.jpg\n");
        assertMessage(csv, csv + ":2: expected 'file_x,file_y,Yes|No', got 'img1.jpg,img2.jpg'");
        Files.writeString(csv, "file_x,file_y,Decision\n");
        assertMessage(csv, csv + ": no pairs");
        assertMessage(dir.resolve("absent.csv"), dir.resolve("absent.csv") + ": no such file");
    }

    private static void assertMessage(Path csv, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhotoPairs.read(csv));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
