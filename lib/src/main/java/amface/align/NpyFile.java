package amface.align;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a numpy {@code .npy} file (format versions 1 to 3): numeric arrays directly, object arrays through
 * {@link NumpyPickles#unpickler()}, which rebuilds numpy arrays and nothing else.
 */
public final class NpyFile {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() { }

    public static NumpyArray read(Path file) throws IOException {
        byte[] d;
        try {
            d = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such numpy file");
        }
        return read(d, file.toString());
    }

    static NumpyArray read(byte[] d, String source) throws IOException {
        if (d.length < 10 || !Arrays.equals(Arrays.copyOf(d, 6), MAGIC)) {
            throw new IOException(source + ": not a numpy .npy file (no \\x93NUMPY magic at the start)");
        }
        int major = d[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = (d[8] & 0xff) | (d[9] & 0xff) << 8;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (d.length < 12) throw new IOException(source + ": truncated .npy header");
            headerLength = (d[8] & 0xff) | (d[9] & 0xff) << 8 | (d[10] & 0xff) << 16 | (d[11] & 0xff) << 24;
            headerStart = 12;
        } else {
            throw new IOException(source + ": .npy format version " + major + " is not supported");
        }
        if (headerLength < 0 || headerStart + headerLength > d.length) throw new IOException(source + ": truncated .npy header");
        String header = new String(d, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr", source);
        boolean fortran = group(FORTRAN, header, "fortran_order", source).equals("True");
        long[] shape = parseShape(group(SHAPE, header, "shape", source), source);
        int dataStart = headerStart + headerLength;
        if (descr.equals("|O")) {
            Object value = NumpyPickles.unpickler().load(d, dataStart, source);
            if (!(value instanceof NumpyArray a)) throw new IOException(source + ": the pickle holds a " + SafeUnpickler.typeName(value) + ", not a numpy array");
            return a;
        }
        if (NumpyArray.itemSize(descr) < 0) throw new IOException(source + ": numpy dtype '" + descr + "' is not supported");
        long need = NumpyArray.itemSize(descr);
        for (long s : shape) need *= s;
        if (d.length - dataStart < need) {
            throw new IOException(source + ": truncated: " + Arrays.toString(shape) + " " + descr + " needs " + need + " data bytes, the file has " + (d.length - dataStart));
        }
        return NumpyArray.ofRaw(shape, descr, fortran, Arrays.copyOfRange(d, dataStart, dataStart + (int) need));
    }

    private static String group(Pattern p, String header, String key, String source) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(source + ": the .npy header has no valid '" + key + "': " + header.strip());
        return m.group(1);
    }

    private static long[] parseShape(String s, String source) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                dims.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
            } catch (NumberFormatException e) {
                throw new IOException(source + ": bad shape (" + s + ") in the .npy header");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
