package amface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.testing.TestPaths;

class ImageReaderTest {
    @TempDir Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] imageIo(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "ImageIO cannot write " + format);
        return out.toByteArray();
    }

    private BadImageException bad(Path p) {
        return assertThrows(BadImageException.class, () -> ImageReader.read(p));
    }

    private void assertBad(Path p, String reasonPart) {
        BadImageException e = bad(p);
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), "message names the file: " + e.getMessage());
        assertTrue(e.reason().contains(reasonPart), "reason '" + e.reason() + "' should contain '" + reasonPart + "'");
    }

    @Test
    void pngRoundTripIsExact() throws IOException {
        RgbImage img = TestImages.random(37, 23, 1);
        Path p = dir.resolve("a.png");
        ImageWriter.write(img, p);
        RgbImage back = ImageReader.read(p);
        assertEquals(37, back.width());
        assertEquals(23, back.height());
        assertArrayEquals(img.rgb(), back.rgb());
    }

    @Test
    void jpegRoundTripIsClose() throws IOException {
        RgbImage img = TestImages.smooth(64, 48);
        Path p = dir.resolve("a.JPG");
        ImageWriter.write(img, p);
        RgbImage back = ImageReader.read(p);
        double sum = 0;
        for (int i = 0; i < img.rgb().length; i++) sum += Math.abs((img.rgb()[i] & 0xff) - (back.rgb()[i] & 0xff));
        assertTrue(sum / img.rgb().length < 2, "mean abs error " + sum / img.rgb().length);
    }

    @Test
    void bmpAndPpmAreExactAndChannelOrderIsRgb() throws IOException {
        RgbImage img = TestImages.gradient(13, 9); // odd width: BMP rows are padded to 4 bytes
        RgbImage bmp = ImageReader.read(file("a.bmp", imageIo(TestImages.toBufferedImage(img, BufferedImage.TYPE_3BYTE_BGR), "bmp")));
        assertArrayEquals(img.rgb(), bmp.rgb());

        byte[] header = ("P6\n# a comment\n13 9\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] ppm = concat(header, img.rgb());
        assertArrayEquals(img.rgb(), ImageReader.read(file("a.ppm", ppm)).rgb());
        // a pure red pixel stays red: R first
        RgbImage red = ImageReader.read(file("red.ppm", concat("P6 1 1 255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 255, 0, 0})));
        assertEquals(255, red.get(0, 0, 0));
        assertEquals(0, red.get(0, 0, 2));
    }

    @Test
    void greyImagesBecomeRgb() throws IOException {
        byte[] grey = {0, 50, 100, (byte) 150, (byte) 200, (byte) 255};
        byte[] pgm = concat("P5\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII), grey);
        RgbImage a = ImageReader.read(file("g.pgm", pgm));
        byte[] ascii = "P2\n3 2\n255\n0 50 100\n150 200 255\n".getBytes(StandardCharsets.US_ASCII);
        RgbImage b = ImageReader.read(file("g2.pgm", ascii));
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setDataElements(0, 0, 3, 2, grey);
        RgbImage c = ImageReader.read(file("g.png", imageIo(g, "png")));
        for (RgbImage img : List.of(a, b, c)) {
            assertEquals(3, img.width());
            assertEquals(2, img.height());
            for (int i = 0; i < 6; i++) {
                for (int ch = 0; ch < 3; ch++) assertEquals(grey[i] & 0xff, img.get(i % 3, i / 3, ch));
            }
        }
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80102030);
        argb.setRGB(1, 0, 0x00405060);
        RgbImage img = ImageReader.read(file("rgba.png", imageIo(argb, "png")));
        assertArrayEquals(new byte[] {0x10, 0x20, 0x30, 0x40, 0x50, 0x60}, img.rgb());
    }

    @Test
    void gifIsReadThroughImageIo() throws IOException {
        // a 256-colour palette image (what GIF holds), so the writer need not quantise colours
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) { r[i] = (byte) i; g[i] = (byte) (255 - i); b[i] = (byte) (i * 7); }
        BufferedImage indexed = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        for (int i = 0; i < 128; i++) indexed.getRaster().setSample(i % 16, i / 16, 0, i * 37 % 256);
        Path p = file("a.gif", imageIo(indexed, "gif"));
        RgbImage img = ImageReader.read(p);
        for (int i = 0; i < 128; i++) {
            int index = i * 37 % 256;
            assertEquals(index, img.get(i % 16, i / 16, 0));
            assertEquals(255 - index, img.get(i % 16, i / 16, 1));
            assertEquals(index * 7 & 0xff, img.get(i % 16, i / 16, 2));
        }
        byte[] gif = Files.readAllBytes(p);
        assertBad(file("cut.gif", Arrays.copyOf(gif, gif.length - 6)), "truncated GIF");
    }

    @Test
    void orlFacesRead() throws IOException {
        Path orl = TestPaths.sharedData("orl/att_faces");
        try (Stream<Path> files = Files.walk(orl)) {
            List<Path> pgms = files.filter(f -> f.toString().endsWith(".pgm")).sorted().toList();
            assertEquals(400, pgms.size());
            for (Path f : pgms) {
                RgbImage img = ImageReader.read(f);
                assertEquals(92, img.width());
                assertEquals(112, img.height());
                assertEquals(img.get(40, 50, 0), img.get(40, 50, 2)); // grey
            }
        }
    }

    @Test
    void realWorldPhotosRead() throws IOException {
        // in-the-wild JPEGs with EXIF and odd encoders, and one WebP file named .jpg (deepface/img47.jpg)
        Path photos = TestPaths.sharedData("photos");
        int n = 0;
        try (Stream<Path> files = Files.walk(photos)) {
            for (Path f : files.filter(p -> ImageFormat.hasImageExtension(p.getFileName().toString())).sorted().toList()) {
                RgbImage img = ImageReader.read(f);
                assertTrue(img.width() > 50 && img.height() > 50, f.toString());
                n++;
            }
        }
        assertTrue(n >= 70, n + " photos");
    }

    @Test
    void webpIsReadAndItsLengthChecked() throws IOException {
        RgbImage img = TestImages.smooth(32, 24);
        byte[] webp;
        try (var mat = Mats.toBgrMat(img); var out = new org.bytedeco.javacpp.BytePointer();
             var lossless = new org.bytedeco.javacpp.IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101)) {
            assertTrue(org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", mat, out, lossless));
            webp = new byte[(int) out.limit()];
            out.get(webp);
        }
        assertArrayEquals(img.rgb(), ImageReader.read(file("a.webp", webp)).rgb()); // quality > 100 is lossless
        assertBad(file("cut.webp", Arrays.copyOf(webp, webp.length - 10)), "truncated WebP");
    }

    @Test
    void missingEmptyFolderAndTextFiles() throws IOException {
        assertBad(dir.resolve("nothere.jpg"), "no such file");
        assertBad(file("empty.jpg", new byte[0]), "empty file");
        assertBad(Files.createDirectory(dir.resolve("folder.jpg")), "is a folder");
        assertBad(file("text.jpg", "hello, I am not a picture\n".getBytes(StandardCharsets.UTF_8)), "not an image (looks like text)");
        assertBad(file("noise.png", new byte[] {1, 2, 3, 4, 0, 0, 7}), "not an image (unknown format)");
    }

    @Test
    void truncatedFiles() throws IOException {
        RgbImage img = TestImages.random(40, 30, 2);
        byte[] jpeg = ImageWriter.encode(img, "jpg");
        byte[] png = ImageWriter.encode(img, "png");
        assertBad(file("cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3)), "truncated JPEG (no end-of-image marker)");
        assertBad(file("head.jpg", Arrays.copyOf(jpeg, 40)), "truncated JPEG (ends inside its header)");
        assertBad(file("cut.png", Arrays.copyOf(png, png.length / 2)), "truncated PNG");
        assertBad(file("head.png", Arrays.copyOf(png, 20)), "truncated PNG");
        byte[] bmp = imageIo(TestImages.toBufferedImage(img, BufferedImage.TYPE_3BYTE_BGR), "bmp");
        assertBad(file("cut.bmp", Arrays.copyOf(bmp, bmp.length - 100)), "truncated BMP");
        byte[] pgm = concat("P5 4 4 255\n".getBytes(StandardCharsets.US_ASCII), new byte[10]);
        assertBad(file("cut.pgm", pgm), "truncated P5");
    }

    @Test
    void garbageAfterTheHeaderIsRejected() throws IOException {
        byte[] jpeg = ImageWriter.encode(TestImages.random(40, 30, 3), "jpg");
        byte[] broken = jpeg.clone();
        int second = 4 + ((jpeg[4] & 0xff) << 8 | jpeg[5] & 0xff); // the marker after the first segment
        broken[second] = 0x12;
        assertBad(file("broken.jpg", broken), "corrupt JPEG (bad marker at byte " + second + ")");
        byte[] png = ImageWriter.encode(TestImages.random(40, 30, 3), "png");
        byte[] badData = png.clone();
        for (int i = 60; i < png.length - 20; i++) badData[i] = (byte) (i * 31); // IDAT bytes scrambled, IEND intact
        assertBad(file("scrambled.png", badData), "corrupt PNG (the decoder rejected it)");
    }

    @Test
    void zeroSizeImages() throws IOException {
        assertBad(file("zero.pgm", "P5\n0 4\n255\n".getBytes(StandardCharsets.US_ASCII)), "zero size");
        assertBad(file("zero.png", png(0, 5, 8, 2)), "zero size (PNG header says 0x5)");
        byte[] bmp = imageIo(TestImages.toBufferedImage(TestImages.gradient(4, 4), BufferedImage.TYPE_3BYTE_BGR), "bmp");
        ByteBuffer.wrap(bmp).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(18, 0);
        assertBad(file("zero.bmp", bmp), "zero size");
    }

    @Test
    void sixteenBitImagesAreRefused() throws IOException {
        BufferedImage g16 = new BufferedImage(4, 3, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = g16.getRaster();
        r.setSample(1, 1, 0, 40000);
        assertBad(file("deep.png", imageIo(g16, "png")), "8-bit images only");
        byte[] pgm16 = concat("P5 2 1 65535\n".getBytes(StandardCharsets.US_ASCII), new byte[4]);
        assertBad(file("deep.pgm", pgm16), "8-bit images only (maxval 65535)");
    }

    @Test
    void inMemoryImagesUseTheGivenName() throws IOException {
        RgbImage img = TestImages.gradient(5, 4);
        assertArrayEquals(img.rgb(), ImageReader.read(ImageWriter.encode(img, "png"), "memory.png").rgb());
        BadImageException e = assertThrows(BadImageException.class, () -> ImageReader.read(new byte[0], "upload #3"));
        assertEquals("upload #3: empty file", e.getMessage());
    }

    /** A minimal PNG (IHDR + IEND, valid CRCs, no image data) with the given header fields. */
    static byte[] png(int w, int h, int depth, int colourType) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, chunk("IHDR", ihdr.array()), chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue()).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
