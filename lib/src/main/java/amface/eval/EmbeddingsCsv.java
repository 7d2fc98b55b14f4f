package amface.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The embeddings CSV: a header {@code path,e0,e1,...,e(d-1)}, then one row per image, {@code path} relative to
 * the dataset root. Reading checks every row and names the file and line of the first problem (wrong column
 * count, an unparsable number, NaN or infinity, a repeated path); writing is atomic.
 */
public final class EmbeddingsCsv {
    private EmbeddingsCsv() { }

    public static Embeddings read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) throw bad(file, 1, "the file is empty; expected a header path,e0,e1,...");
            header = stripBom(header);
            String[] names = header.split(",", -1);
            if (names.length < 2 || !names[0].strip().equals("path")) {
                throw bad(file, 1, "expected a header path,e0,e1,... but found '" + abbreviate(header) + "'");
            }
            int dim = names.length - 1;
            for (int i = 0; i < dim; i++) {
                if (!names[i + 1].strip().equals("e" + i)) {
                    throw bad(file, 1, "header column " + (i + 2) + " is '" + abbreviate(names[i + 1]) + "', expected e" + i);
                }
            }
            Embeddings.Builder out = Embeddings.builder(dim);
            java.util.Map<String, Integer> firstLine = new java.util.HashMap<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int[] pos = {0};
                String path = firstField(line, pos, file, lineNo);
                if (path.isEmpty()) throw bad(file, lineNo, "empty path");
                int values = 1;
                for (int i = pos[0]; i < line.length(); i++) if (line.charAt(i) == ',') values++;
                if (values != dim) {
                    throw bad(file, lineNo, "has " + (values + 1) + " columns, the header has " + (dim + 1) + " (path + " + dim + " values)");
                }
                float[] e = new float[dim];
                int p = pos[0];
                for (int i = 0; i < dim; i++) {
                    int comma = line.indexOf(',', p);
                    int end = comma < 0 ? line.length() : comma;
                    e[i] = parse(line.substring(p, end), file, lineNo, i);
                    p = end + 1;
                }
                String empty = uninformative(e);
                if (empty != null) throw bad(file, lineNo, "the embedding of " + path + " " + empty);
                Integer seen = firstLine.putIfAbsent(path, lineNo);
                if (seen != null) throw bad(file, lineNo, "path " + path + " already appeared on line " + seen);
                out.add(path, e);
            }
            if (out.size() == 0) throw bad(file, lineNo, "no embeddings after the header");
            return out.build();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no embeddings file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why a row cannot carry information about a face, or null: all zeros (it has no direction to compare), or one
     * value repeated (what a blank image or a broken model gives).
     */
    private static String uninformative(float[] e) {
        boolean constant = true;
        for (float v : e) constant &= v == e[0];
        if (!constant) return null;
        if (e[0] == 0) return "is all zeros: it has no direction to compare (a failed or blank input?)";
        return e.length > 1 ? "has one value (" + e[0] + ") in every column: a constant embedding carries no information (a blank image or a broken model?)" : null;
    }

    /** Writes {@code embeddings} to {@code file} atomically (a temporary file renamed into place). */
    public static void write(Path file, Embeddings embeddings) {
        int dim = embeddings.dimension();
        try {
            amface.io.AtomicFile.writeText(file, out -> {
            StringBuilder row = new StringBuilder(16 * dim + 64);
            row.append("path");
            for (int i = 0; i < dim; i++) row.append(",e").append(i);
            out.write(row.append('\n').toString());
            for (String path : embeddings.paths()) {
                row.setLength(0);
                row.append(quote(path));
                // Float.toString is the shortest text that reads back to the same float.
                for (float v : embeddings.view(path)) row.append(',').append(v);
                out.write(row.append('\n').toString());
            }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static float parse(String text, Path file, int line, int index) {
        String t = text.strip();
        float v;
        try {
            if (t.isEmpty() || t.endsWith("f") || t.endsWith("F") || t.endsWith("d") || t.endsWith("D")) {
                throw new NumberFormatException();
            }
            v = Float.parseFloat(t);
        } catch (NumberFormatException e) {
            throw bad(file, line, "e" + index + " is '" + abbreviate(t) + "', not a number");
        }
        if (!Float.isFinite(v)) {
            throw bad(file, line, "e" + index + " is " + abbreviate(t) + (Float.isNaN(v) ? "" : " (outside the float range)") + "; embeddings must be finite");
        }
        return v;
    }

    /** The path field, plain or in double quotes (CSV style, "" for a quote); {@code pos[0]} ends after its comma. */
    private static String firstField(String line, int[] pos, Path file, int lineNo) {
        if (!line.startsWith("\"")) {
            int comma = line.indexOf(',');
            if (comma < 0) throw bad(file, lineNo, "has 1 column, expected a path and the embedding values");
            pos[0] = comma + 1;
            return line.substring(0, comma).strip();
        }
        StringBuilder s = new StringBuilder();
        int i = 1;
        while (true) {
            if (i >= line.length()) throw bad(file, lineNo, "unterminated quoted path");
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') { s.append('"'); i += 2; continue; }
                i++;
                break;
            }
            s.append(c);
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ',') throw bad(file, lineNo, "expected a comma after the quoted path");
        pos[0] = i + 1;
        return s.toString();
    }

    private static String quote(String path) {
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) throw new IllegalArgumentException("image path with a line break: " + path);
        if (path.indexOf(',') < 0 && path.indexOf('"') < 0 && path.strip().equals(path)) return path;
        return '"' + path.replace("\"", "\"\"") + '"';
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static IllegalArgumentException bad(Path file, int line, String what) {
        return new IllegalArgumentException(file + ":" + line + ": " + what);
    }
}
