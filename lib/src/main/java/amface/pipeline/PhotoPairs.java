package amface.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Labelled pairs of raw photos from a CSV with the header {@code file_x,file_y,Decision} and {@code Yes}/{@code No}
 * decisions (deepface's {@code master.csv}); photo names are relative to the CSV's folder. A bad line is an
 * IllegalArgumentException naming the file and line.
 *
 * @param file  the CSV it was read from
 * @param pairs the pairs in file order
 */
public record PhotoPairs(Path file, List<Pair> pairs) {
    /** One labelled pair; {@code line} is 1-based in the CSV. */
    public record Pair(Path left, Path right, boolean same, int line) { }

    public PhotoPairs {
        pairs = List.copyOf(pairs);
    }

    public static PhotoPairs read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(csv + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(csv + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().toLowerCase(Locale.ROOT).replace(" ", "").equals("file_x,file_y,decision")) {
            throw new IllegalArgumentException(csv + ":1: expected the header file_x,file_y,Decision");
        }
        Path dir = csv.toAbsolutePath().getParent();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length != 3 || f[0].isBlank() || f[1].isBlank()) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected 'file_x,file_y,Yes|No', got '" + line + "'");
            }
            String decision = f[2].strip().toLowerCase(Locale.ROOT);
            if (!decision.equals("yes") && !decision.equals("no")) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": decision '" + f[2].strip() + "' is neither Yes nor No");
            }
            pairs.add(new Pair(dir.resolve(f[0].strip()), dir.resolve(f[1].strip()), decision.equals("yes"), i + 1));
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(csv + ": no pairs");
        return new PhotoPairs(csv, pairs);
    }

    /** The distinct photos, in order of first mention. */
    public List<Path> photos() {
        LinkedHashSet<Path> s = new LinkedHashSet<>();
        for (Pair p : pairs) { s.add(p.left()); s.add(p.right()); }
        return List.copyOf(s);
    }

    public boolean[] same() {
        boolean[] s = new boolean[pairs.size()];
        for (int i = 0; i < s.length; i++) s[i] = pairs.get(i).same();
        return s;
    }
}
