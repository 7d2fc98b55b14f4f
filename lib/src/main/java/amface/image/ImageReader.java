package amface.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.stream.ImageInputStream;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads JPEG, PNG, PGM/PPM/PBM, BMP and WebP through OpenCV and GIF through ImageIO (OpenCV has no GIF decoder) into
 * an {@link RgbImage}: grey becomes RGB, alpha is dropped, JPEG EXIF orientation is applied. Anything that is not
 * an 8-bit image of one of these formats, or is truncated, empty or zero-size, gives a {@link BadImageException}
 * naming the file and the reason. Thread-safe.
 */
public final class ImageReader {
    private ImageReader() { }

    /** Reads the image file at {@code path}. */
    public static RgbImage read(Path path) throws BadImageException {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new BadImageException(name, "is a folder, not an image file");
            // A named pipe would block the read forever; sockets and devices are no images either.
            if (Files.exists(path) && !Files.isRegularFile(path)) throw new BadImageException(name, "not a regular file (a pipe, socket or device)");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BadImageException(name, "no such file");
        } catch (BadImageException e) {
            throw e;
        } catch (IOException e) {
            throw new BadImageException(name, "cannot be read (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw new BadImageException(name, "too large to read into memory");
        }
        return read(bytes, name);
    }

    /**
     * Checks an image file without decoding it: present, not empty, a known format whose header and ending are
     * whole (a truncated or damaged file fails naming the reason). Cheap: what a resumed job uses to verify outputs
     * an earlier run wrote.
     */
    public static void checkWhole(Path path) throws BadImageException {
        String name = path.toString();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) throw new BadImageException(name, Files.exists(path) ? "not a regular file" : "no such file");
            bytes = Files.readAllBytes(path);
        } catch (BadImageException e) {
            throw e;
        } catch (IOException e) {
            throw new BadImageException(name, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (bytes.length == 0) throw new BadImageException(name, "empty file");
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) throw new BadImageException(name, ImageFormat.describeUnknown(bytes));
        ImageFileCheck.check(format, bytes, name);
    }

    /** Decodes an encoded image held in memory; {@code name} is used in error messages. */
    public static RgbImage read(byte[] bytes, String name) throws BadImageException {
        if (bytes.length == 0) throw new BadImageException(name, "empty file");
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) throw new BadImageException(name, ImageFormat.describeUnknown(bytes));
        ImageFileCheck.check(format, bytes, name);
        return format == ImageFormat.GIF ? decodeGif(bytes, name) : decodeOpenCv(format, bytes, name);
    }

    private static RgbImage decodeOpenCv(ImageFormat format, byte[] bytes, String name) throws BadImageException {
        try (Mat encoded = new Mat(1, bytes.length, CV_8UC1)) {
            encoded.data().put(bytes);
            // IMREAD_COLOR for JPEG applies the EXIF orientation; UNCHANGED elsewhere lets us see the true depth.
            try (Mat decoded = imdecode(encoded, format == ImageFormat.JPEG ? IMREAD_COLOR : IMREAD_UNCHANGED)) {
                if (decoded == null || decoded.empty()) throw new BadImageException(name, "corrupt " + format + " (the decoder rejected it)");
                if (decoded.depth() != CV_8U) throw new BadImageException(name, "8-bit images only (decoded depth " + depthName(decoded.depth()) + ")");
                return Mats.toRgbImage(decoded);
            }
        } catch (RuntimeException e) {
            // OpenCV raises cv::Exception (a RuntimeException in Java) for some malformed headers.
            throw new BadImageException(name, "corrupt " + format + " (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static RgbImage decodeGif(byte[] bytes, String name) throws BadImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            if (!readers.hasNext()) throw new BadImageException(name, "no GIF decoder in this Java runtime");
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                BufferedImage img = reader.read(0, new ImageReadParam()); // first frame of an animation
                return fromBufferedImage(img);
            } finally {
                reader.dispose();
            }
        } catch (BadImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadImageException(name, "corrupt GIF (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Any {@link BufferedImage} as RGB, alpha dropped. */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int p = argb[i];
            rgb[j] = (byte) (p >> 16);
            rgb[j + 1] = (byte) (p >> 8);
            rgb[j + 2] = (byte) p;
        }
        return new RgbImage(w, h, rgb);
    }

    private static String depthName(int depth) {
        return switch (depth) {
            case 1 -> "8-bit signed";
            case 2 -> "16-bit";
            case 3 -> "16-bit signed";
            case 4 -> "32-bit integer";
            case 5 -> "32-bit float";
            case 6 -> "64-bit float";
            default -> "code " + depth;
        };
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) return "no details";
        String line = s.strip().lines().findFirst().orElse(s).strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
