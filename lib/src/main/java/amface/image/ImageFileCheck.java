package amface.image;

import java.nio.charset.StandardCharsets;

/**
 * Checks an encoded image's header and ending before decoding it. Decoders are forgiving in ways a training set
 * cannot afford: libjpeg fills a truncated JPEG with grey and reports success, and a 16-bit or zero-size image
 * fails with no useful message. Reading the few header fields ourselves gives every failure a clear reason.
 */
final class ImageFileCheck {
    /** The largest image an {@link RgbImage} can hold: its byte array is indexed by an int. */
    static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private ImageFileCheck() { }

    /** Throws with the reason when {@code b} (of format {@code f}) is truncated, zero-size, too large or not 8-bit. */
    static void check(ImageFormat f, byte[] b, String name) throws BadImageException {
        switch (f) {
            case JPEG -> checkJpeg(b, name);
            case PNG -> checkPng(b, name);
            case BMP -> checkBmp(b, name);
            case PNM -> checkPnm(b, name);
            case GIF -> checkGif(b, name);
            case WEBP -> checkWebp(b, name);
        }
    }

    private static void checkSize(long w, long h, String what, String name) throws BadImageException {
        if (w <= 0 || h <= 0) throw new BadImageException(name, "zero size (" + what + " header says " + w + "x" + h + ")");
        if (w * h > MAX_PIXELS) throw new BadImageException(name, "too large (" + w + "x" + h + " pixels)");
    }

    private static int u16be(byte[] b, int i) { return (b[i] & 0xff) << 8 | b[i + 1] & 0xff; }

    private static int u16le(byte[] b, int i) { return b[i] & 0xff | (b[i + 1] & 0xff) << 8; }

    private static long u32be(byte[] b, int i) { return (long) u16be(b, i) << 16 | u16be(b, i + 2); }

    private static int s32le(byte[] b, int i) { return u16le(b, i) | u16le(b, i + 2) << 16; }

    /** Walks the marker segments up to the start of scan; the entropy-coded data after it must end in EOI. */
    private static void checkJpeg(byte[] b, String name) throws BadImageException {
        int pos = 2;
        boolean frame = false;
        while (true) {
            if (pos + 1 >= b.length) throw new BadImageException(name, "truncated JPEG (ends inside its header)");
            if ((b[pos] & 0xff) != 0xFF) throw new BadImageException(name, "corrupt JPEG (bad marker at byte " + pos + ")");
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xFF) { pos++; continue; } // fill byte
            if (marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) { pos += 2; continue; }
            if (marker == 0xD9) throw new BadImageException(name, "corrupt JPEG (ends before any image data)");
            if (pos + 3 >= b.length) throw new BadImageException(name, "truncated JPEG (ends inside its header)");
            int length = u16be(b, pos + 2);
            if (length < 2 || pos + 2 + length > b.length) throw new BadImageException(name, "truncated JPEG (ends inside its header)");
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (length < 8) throw new BadImageException(name, "corrupt JPEG (short frame header)");
                int precision = b[pos + 4] & 0xff;
                if (precision != 8) throw new BadImageException(name, "8-bit images only (this JPEG has " + precision + "-bit samples)");
                checkSize(u16be(b, pos + 7), u16be(b, pos + 5), "JPEG", name);
                frame = true;
            }
            pos += 2 + length;
            if (marker == 0xDA) break;
        }
        if (!frame) throw new BadImageException(name, "corrupt JPEG (no frame header before the image data)");
        // Inside entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker, so FF D9 is the end.
        for (int i = b.length - 2; i >= pos; i--) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) return;
        }
        throw new BadImageException(name, "truncated JPEG (no end-of-image marker)");
    }

    private static void checkPng(byte[] b, String name) throws BadImageException {
        if (b.length < 33 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new BadImageException(name, b.length < 33 ? "truncated PNG (ends inside its header)" : "corrupt PNG (no IHDR chunk)");
        }
        int depth = b[24] & 0xff;
        if (depth > 8) throw new BadImageException(name, "8-bit images only (this PNG has " + depth + " bits per channel)");
        checkSize(u32be(b, 16), u32be(b, 20), "PNG", name);
        int from = Math.max(33, b.length - 64);
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        for (int i = b.length - 4; i >= from; i--) {
            if (b[i] == iend[0] && b[i + 1] == iend[1] && b[i + 2] == iend[2] && b[i + 3] == iend[3]) return;
        }
        throw new BadImageException(name, "truncated PNG (no IEND chunk)");
    }

    private static void checkBmp(byte[] b, String name) throws BadImageException {
        if (b.length < 26) throw new BadImageException(name, "truncated BMP (ends inside its header)");
        int offset = s32le(b, 10);
        int dib = s32le(b, 14);
        long w;
        long h;
        int bpp;
        int compression = 0;
        if (dib == 12) {
            w = u16le(b, 18);
            h = u16le(b, 20);
            bpp = u16le(b, 24);
        } else {
            if (b.length < 34) throw new BadImageException(name, "truncated BMP (ends inside its header)");
            w = s32le(b, 18);
            h = Math.abs((long) s32le(b, 22)); // negative height: rows stored top-down
            bpp = u16le(b, 28);
            compression = s32le(b, 30);
        }
        checkSize(w, h, "BMP", name);
        if (compression == 0 || compression == 3) {
            long stride = (w * bpp + 31) / 32 * 4;
            long need = offset + stride * h;
            if (b.length < need) throw new BadImageException(name, "truncated BMP (" + b.length + " bytes, its header needs " + need + ")");
        }
    }

    /** PBM/PGM/PPM: "P<n>", width, height and (except bitmaps) maxval, separated by white space and # comments. */
    private static void checkPnm(byte[] b, String name) throws BadImageException {
        int kind = b[1] - '0';
        int fields = kind == 1 || kind == 4 ? 2 : 3;
        long[] v = new long[fields];
        int pos = 2;
        for (int f = 0; f < fields; f++) {
            while (pos < b.length && (Character.isWhitespace(b[pos]) || b[pos] == '#')) {
                if (b[pos] == '#') while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') pos++;
                else pos++;
            }
            if (pos >= b.length) throw new BadImageException(name, "truncated P" + kind + " image (ends inside its header)");
            if (b[pos] < '0' || b[pos] > '9') throw new BadImageException(name, "corrupt P" + kind + " header (expected a number at byte " + pos + ")");
            long n = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9' && n < Integer.MAX_VALUE) n = n * 10 + (b[pos++] - '0');
            v[f] = n;
        }
        checkSize(v[0], v[1], "P" + kind, name);
        if (fields == 3 && (v[2] == 0 || v[2] > 255)) {
            throw new BadImageException(name, v[2] == 0 ? "corrupt P" + kind + " header (maxval 0)" : "8-bit images only (maxval " + v[2] + ")");
        }
        if (kind >= 4) {
            long need = pos + 1 + (kind == 4 ? (v[0] + 7) / 8 * v[1] : v[0] * v[1] * (kind == 6 ? 3 : 1));
            if (b.length < need) throw new BadImageException(name, "truncated P" + kind + " image (" + b.length + " bytes, its header needs " + need + ")");
        }
    }

    /** A RIFF container states its own length: fewer bytes than that means a truncated file. */
    private static void checkWebp(byte[] b, String name) throws BadImageException {
        long size = (s32le(b, 4) & 0xffffffffL) + 8;
        if (b.length < size) throw new BadImageException(name, "truncated WebP (" + b.length + " bytes, its header says " + size + ")");
    }

    private static void checkGif(byte[] b, String name) throws BadImageException {
        if (b.length < 13) throw new BadImageException(name, "truncated GIF (ends inside its header)");
        checkSize(u16le(b, 6), u16le(b, 8), "GIF", name);
        int last = b.length - 1;
        while (last > 13 && b[last] == 0) last--;
        if (b[last] != 0x3B) throw new BadImageException(name, "truncated GIF (no trailer)");
    }
}
