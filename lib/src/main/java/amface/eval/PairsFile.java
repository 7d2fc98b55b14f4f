package amface.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an LFW-format pairs file ({@code pairs.txt}): an optional header line of one or two integers (e.g.
 * "10 300"), then {@code Name n1 n2} (same person) or {@code Name1 n1 Name2 n2} (different people), image numbers
 * 1-based; image n of Name is {@code Name/Name_000n} + extension.
 * TODO: the data branch's amface.data.LfwPairs replaces this once it lands.
 */
public final class PairsFile {
    private PairsFile() { }

    public static List<LabeledPair> read(Path file, String extension) {
        String ext = extension.isEmpty() || extension.startsWith(".") ? extension : "." + extension;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no pairs file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<LabeledPair> pairs = new ArrayList<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            if (first && f.length <= 2 && allIntegers(f)) { first = false; continue; }
            first = false;
            int lineNo = i + 1;
            if (f.length == 3) {
                pairs.add(new LabeledPair(image(f[0], number(f[1], file, lineNo), ext), image(f[0], number(f[2], file, lineNo), ext), true, lineNo));
            } else if (f.length == 4) {
                pairs.add(new LabeledPair(image(f[0], number(f[1], file, lineNo), ext), image(f[2], number(f[3], file, lineNo), ext), false, lineNo));
            } else {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'Name n1 n2' or 'Name1 n1 Name2 n2', found '" + abbreviate(line) + "'");
            }
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(file + ": no pairs");
        return pairs;
    }

    private static String image(String name, int number, String ext) {
        return name + "/" + name + "_" + String.format(Locale.ROOT, "%04d", number) + ext;
    }

    private static int number(String s, Path file, int line) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) { }
        throw new IllegalArgumentException(file + ":" + line + ": image number '" + s + "' is not a positive integer");
    }

    private static boolean allIntegers(String[] f) {
        for (String s : f) if (!s.matches("\\d+")) return false;
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
