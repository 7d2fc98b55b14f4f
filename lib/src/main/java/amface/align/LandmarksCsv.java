package amface.align;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-image record of a dataset alignment, one CSV row per input image:
 * {@value #HEADER}. It is an append-only log while the run goes (each row written whole, so a kill loses at most
 * the row being written, which a rerun drops and redoes), deduplicated by path and sorted when the run ends.
 */
public final class LandmarksCsv implements AutoCloseable {
    public static final String HEADER = "path,status,x1,y1,x2,y2,score,lex,ley,rex,rey,nx,ny,lmx,lmy,rmx,rmy";
    public static final String UNREADABLE = "unreadable";

    private final Path file;
    private final FileChannel channel;
    private long lastForce = System.nanoTime();

    private LandmarksCsv(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens {@code file} for appending, creating it with the header, and returns it with the rows already there
     * ({@code path -> row}, the last row of a path winning). A torn last line from a killed run is cut off.
     */
    public static LandmarksCsv open(Path file, Map<String, String> existing) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        if (Files.exists(abs)) {
            existing.putAll(read(abs, true));
        }
        FileChannel ch = FileChannel.open(abs, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LandmarksCsv csv = new LandmarksCsv(abs, ch);
        if (ch.size() == 0) csv.append(HEADER);
        return csv;
    }

    /** The rows of a landmarks CSV by path; {@code repair} cuts off an unterminated last line. */
    static Map<String, String> read(Path file, boolean repair) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') end--;
        if (repair && end < all.length) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        String text = new String(all, 0, end, StandardCharsets.UTF_8);
        Map<String, String> rows = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isEmpty()) continue;
            if (n == 1) {
                if (!line.equals(HEADER)) throw new IOException(file + ": line 1 is not the landmarks header '" + HEADER + "': " + line);
                continue;
            }
            List<String> fields = parse(line);
            if (fields.size() != 17) throw new IOException(file + ": line " + n + " has " + fields.size() + " fields, expected 17: " + line);
            rows.put(fields.get(0), line);
        }
        return rows;
    }

    /** Appends one complete row; rows are flushed to the OS at once and to disk every few seconds. */
    public synchronized void append(String row) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((row + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) channel.write(b);
        long now = System.nanoTime();
        if (now - lastForce > 2_000_000_000L) {
            channel.force(false);
            lastForce = now;
        }
    }

    /** The row for an image: status, box, score and landmarks (left = smaller x) in input pixels. */
    public static String row(String path, AlignedFace a) {
        StringBuilder s = new StringBuilder(quote(path)).append(',').append(a.status().label());
        Face f = a.face();
        if (f == null) {
            s.append(",".repeat(15));
        } else {
            s.append(',').append(num(f.x1())).append(',').append(num(f.y1())).append(',').append(num(f.x2())).append(',').append(num(f.y2()));
            s.append(',').append(String.format(Locale.ROOT, "%.6f", f.score()));
            Landmarks m = f.landmarks() == null ? null : f.landmarks().leftToRight();
            for (int i = 0; i < 5; i++) {
                s.append(',').append(m == null ? "" : num(m.x(i))).append(',').append(m == null ? "" : num(m.y(i)));
            }
        }
        return s.toString();
    }

    public static String unreadableRow(String path) {
        return quote(path) + "," + UNREADABLE + ",".repeat(15);
    }

    /** The status field of a row. */
    static String status(String row) {
        return parse(row).get(1);
    }

    /** Rewrites the file deduplicated and sorted by path, atomically (a kill during this keeps the log). */
    public synchronized void compact() throws IOException {
        channel.force(true);
        Map<String, String> rows = new TreeMap<>(read(file, false));
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.addAll(rows.values());
        amface.io.AtomicFile.writeString(file, String.join("\n", lines) + "\n");
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(true);
            channel.close();
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** Splits one CSV line with RFC 4180 quoting. */
    static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
