package amface.image;

import java.util.Locale;

/** The image formats amface reads, recognised by their first bytes (never by the file name). */
public enum ImageFormat {
    JPEG, PNG, BMP, PNM, GIF, WEBP;

    /** File name extensions (lower case, no dot) of the formats amface reads. */
    public static final java.util.Set<String> EXTENSIONS =
        java.util.Set.of("jpg", "jpeg", "png", "pgm", "ppm", "pbm", "pnm", "bmp", "gif", "webp");

    /** True when {@code fileName} ends with one of {@link #EXTENSIONS}, in any case. */
    public static boolean hasImageExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The format whose signature starts {@code b}, or null. */
    static ImageFormat sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) return JPEG;
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
            && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) return PNG;
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') return BMP;
        if (b.length >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') return PNM;
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return GIF;
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return WEBP;
        return null;
    }

    /** A guess at what a non-image file is, for the error message. */
    static String describeUnknown(byte[] b) {
        if (b.length >= 4 && (b[0] == 'I' && b[1] == 'I' && b[2] == 42 || b[0] == 'M' && b[1] == 'M' && b[3] == 42)) return "a TIFF image, which amface does not read";
        int n = Math.min(b.length, 512);
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\n' || c == '\r' || c == '\t' || c >= 32 && c < 127 || c >= 0x80) printable++;
        }
        return printable == n ? "not an image (looks like text)" : "not an image (unknown format)";
    }
}
