package amface.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import amface.io.AtomicFile;


/**
 * An LFW pairs file: View 2 {@code pairs.txt} (header {@code 10 300}: 10 folds, each 300 same-person pairs then
 * 300 different-person pairs) or a View 1 file {@code pairsDevTrain.txt}/{@code pairsDevTest.txt} (header
 * {@code N}: one fold of N same then N different). A same-person line is {@code Name i j}, a different-person
 * line {@code Name1 i Name2 j}, with 1-based image numbers: {@code Name 1 4} pairs {@code Name/Name_0001.jpg}
 * and {@code Name/Name_0004.jpg}.
 */
public final class LfwPairs {
    /**
     * Two images, as paths relative to the dataset root ({@code Name/Name_0001.jpg}), whether they show the same
     * person, and the pairs file line they came from (0 when made in memory).
     */
    public record Pair(String left, String right, boolean same, int line) {
        /** A pair of images {@code name1_n1} and {@code name2_n2} (1-based numbers), LFW style. */
        public static Pair of(String name1, int n1, String name2, int n2, int line) {
            return new Pair(imagePath(name1, n1, "jpg"), imagePath(name2, n2, "jpg"), name1.equals(name2), line);
        }

        public String leftIdentity() { return identityOf(left); }

        public String rightIdentity() { return identityOf(right); }
    }

    /** A pair with its files under a dataset root. */
    public record ResolvedPair(Pair pair, Path left, Path right) { }

    private static final Pattern IMAGE = Pattern.compile("(.+)/\\1_(\\d+)\\.[A-Za-z0-9]+");

    private final String source;
    private final List<List<Pair>> folds;

    private LfwPairs(String source, List<List<Pair>> folds) {
        this.source = source;
        List<List<Pair>> copy = new ArrayList<>();
        for (List<Pair> f : folds) copy.add(List.copyOf(f));
        this.folds = Collections.unmodifiableList(copy);
    }

    /** Pairs made in memory, one list per fold; {@link #write} needs each fold to hold as many same as different pairs. */
    public static LfwPairs of(List<List<Pair>> folds) {
        if (folds.isEmpty()) throw new IllegalArgumentException("no folds");
        return new LfwPairs("(in memory)", folds);
    }

    /** {@code Name/Name_0001.ext} for image {@code number} (1-based) of {@code name}. */
    public static String imagePath(String name, int number, String extension) {
        return String.format(Locale.ROOT, "%s/%s_%04d.%s", name, name, number, extension);
    }

    static String identityOf(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** Reads a pairs file; a line that does not parse, or a count that does not match the header, names the line. */
    public static LfwPairs read(Path file) throws DatasetException {
        List<String> lines = DatasetException.readLines(file);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) first++;
        if (first == lines.size()) throw new DatasetException(file + ": empty pairs file");
        String[] header = lines.get(first).trim().split("\\s+");
        int nFolds;
        int perHalf;
        try {
            if (header.length == 1) {
                nFolds = 1;
                perHalf = Integer.parseInt(header[0]);
            } else if (header.length == 2) {
                nFolds = Integer.parseInt(header[0]);
                perHalf = Integer.parseInt(header[1]);
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new DatasetException(file + ":" + (first + 1) + ": expected a header 'FOLDS PAIRS' (View 2, e.g. '10 300') or 'PAIRS' (View 1), found '"
                + lines.get(first).trim() + "'");
        }
        if (nFolds <= 0 || perHalf <= 0) throw new DatasetException(file + ":" + (first + 1) + ": header counts must be positive, found '" + lines.get(first).trim() + "'");
        List<Pair> pairs = new ArrayList<>();
        for (int i = first + 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            pairs.add(parseLine(file, i + 1, line));
        }
        long expected = 2L * nFolds * perHalf;
        if (pairs.size() != expected) {
            throw new DatasetException(file + ": the header '" + lines.get(first).trim() + "' announces " + expected + " pairs ("
                + nFolds + " x (" + perHalf + " same + " + perHalf + " different)), the file has " + pairs.size());
        }
        List<List<Pair>> folds = new ArrayList<>();
        for (int f = 0; f < nFolds; f++) folds.add(pairs.subList(2 * f * perHalf, 2 * (f + 1) * perHalf));
        return new LfwPairs(file.toString(), folds);
    }

    private static Pair parseLine(Path file, int lineNumber, String line) throws DatasetException {
        String[] f = line.split("\\s+");
        try {
            if (f.length == 3) return Pair.of(f[0], positive(f[1]), f[0], positive(f[2]), lineNumber);
            if (f.length == 4) {
                if (f[0].equals(f[2])) throw new IllegalArgumentException("a different-person line names " + f[0] + " twice");
                return Pair.of(f[0], positive(f[1]), f[2], positive(f[3]), lineNumber);
            }
            throw new IllegalArgumentException("expected 'Name i j' (same person) or 'Name1 i Name2 j' (different people), found "
                + f.length + " fields");
        } catch (IllegalArgumentException e) {
            throw new DatasetException(file + ":" + lineNumber + ": " + e.getMessage() + ": '" + line + "'");
        }
    }

    private static int positive(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("image number '" + s + "' is not a whole number");
        }
        if (n < 1) throw new IllegalArgumentException("image numbers start at 1, found " + n);
        return n;
    }

    /** Where the pairs came from (a file name). */
    public String source() { return source; }

    public int foldCount() { return folds.size(); }

    /** Fold {@code k} (0-based). */
    public List<Pair> fold(int k) { return folds.get(k); }

    public List<List<Pair>> folds() { return folds; }

    /** All pairs, fold by fold. */
    public List<Pair> pairs() {
        List<Pair> all = new ArrayList<>();
        for (List<Pair> f : folds) all.addAll(f);
        return all;
    }

    /** Every identity named in any pair, in order of first appearance. */
    public Set<String> identities() {
        Set<String> names = new LinkedHashSet<>();
        for (List<Pair> f : folds) addIdentities(f, names);
        return names;
    }

    /** Every identity named in a pair of fold {@code k}. */
    public Set<String> identities(int k) {
        Set<String> names = new LinkedHashSet<>();
        addIdentities(folds.get(k), names);
        return names;
    }

    private static void addIdentities(List<Pair> pairs, Set<String> names) {
        for (Pair p : pairs) {
            names.add(p.leftIdentity());
            names.add(p.rightIdentity());
        }
    }

    /** The pairs' images that are not files under {@code root} when their extension is {@code extension}. */
    public List<String> missing(Path root, String extension) {
        Set<String> missing = new LinkedHashSet<>();
        for (Pair p : pairs()) {
            for (String rel : List.of(p.left(), p.right())) {
                if (!Files.isRegularFile(fileOf(root, rel, extension))) missing.add(withExtension(rel, extension));
            }
        }
        return List.copyOf(missing);
    }

    /** Every pair with its two files under {@code root}; all missing images are listed at once if any are. */
    public List<ResolvedPair> resolve(Path root, String extension) throws DatasetException {
        if (!Files.isDirectory(root)) throw new DatasetException(root + ": no such folder (the images for " + source + ")");
        List<String> missing = missing(root, extension);
        if (!missing.isEmpty()) {
            throw new DatasetException(DatasetException.listing(source + ": " + missing.size() + " images named by its pairs are missing under "
                + root + " (extension ." + extension + "):", missing, 20));
        }
        List<ResolvedPair> out = new ArrayList<>();
        for (Pair p : pairs()) out.add(new ResolvedPair(p, fileOf(root, p.left(), extension), fileOf(root, p.right(), extension)));
        return out;
    }

    private static Path fileOf(Path root, String rel, String extension) {
        return root.resolve(withExtension(rel, extension));
    }

    private static String withExtension(String rel, String extension) {
        int dot = rel.lastIndexOf('.');
        return (dot > rel.lastIndexOf('/') ? rel.substring(0, dot) : rel) + "." + extension;
    }

    /**
     * Writes these pairs in View 2 format ({@code FOLDS N} header, each fold's N same pairs then its N different
     * pairs), atomically. Paths must be LFW-style {@code Name/Name_0001.ext}.
     */
    public void write(Path file) throws IOException {
        int perHalf = -1;
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < folds.size(); k++) {
            List<Pair> same = folds.get(k).stream().filter(Pair::same).toList();
            List<Pair> different = folds.get(k).stream().filter(p -> !p.same()).toList();
            if (same.size() != different.size() || perHalf >= 0 && same.size() != perHalf) {
                throw new IllegalArgumentException("fold " + k + " has " + same.size() + " same and " + different.size()
                    + " different pairs; the LFW format needs the same N of each in every fold");
            }
            perHalf = same.size();
            for (Pair p : same) body.append(line(p)).append('\n');
            for (Pair p : different) body.append(line(p)).append('\n');
        }
        String text = folds.size() + "\t" + perHalf + "\n" + body;
        AtomicFile.writeString(file, text);
    }

    private static String line(Pair p) {
        Matcher l = IMAGE.matcher(p.left());
        Matcher r = IMAGE.matcher(p.right());
        if (!l.matches() || !r.matches()) throw new IllegalArgumentException("not an LFW-style image path (Name/Name_0001.ext): " + (l.matches() ? p.right() : p.left()));
        if (p.same() != l.group(1).equals(r.group(1))) {
            throw new IllegalArgumentException("pair " + p.left() + " / " + p.right() + " is marked " + (p.same() ? "same" : "different") + " person");
        }
        int a = Integer.parseInt(l.group(2));
        int b = Integer.parseInt(r.group(2));
        return p.same() ? l.group(1) + "\t" + a + "\t" + b : l.group(1) + "\t" + a + "\t" + r.group(1) + "\t" + b;
    }
}
