package amface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import amface.testing.TestPaths;

/**
 * The package layering of {@code lib/README.md}: a class may use only packages on its own level or below. Scans
 * the main sources as text, so it sees what the compiler sees: imports and fully-qualified names in code (not in
 * comments or strings, which are blanked first).
 */
class LayeringTest {
    /** Level of every package, lowest first; {@code lib/README.md} says why. */
    static final Map<String, Integer> LEVELS = Map.ofEntries(
        Map.entry("amface.io", 0), Map.entry("amface.config", 0),
        Map.entry("amface.image", 1),
        Map.entry("amface.data", 2),
        Map.entry("amface.align", 3), Map.entry("amface.nn", 3), Map.entry("amface.nn.layers", 3),
        Map.entry("amface.head", 3),
        Map.entry("amface.train", 4), Map.entry("amface.eval", 4), Map.entry("amface.identification", 4),
        Map.entry("amface.inference", 4),
        Map.entry("amface.sweep", 5), Map.entry("amface.pipeline", 5), Map.entry("amface.onnx", 5),
        Map.entry("amface.gallery", 5),
        Map.entry("amface.notebook", 6), Map.entry("amface.cli", 6));

    /**
     * Known upward references, as "class -> package". Empty: add nothing here, fix the reference instead. (It held
     * ImageWriter -> data.AtomicFile until AtomicFile moved down to amface.io.)
     */
    static final Set<String> KNOWN_UPWARD = Set.of();

    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    /** A qualified name into amface: lower-case package segments, then a type (upper case) or {@code *}. */
    private static final Pattern REFERENCE =
        Pattern.compile("(?<![\\w.])amface((?:\\s*\\.\\s*[a-z_][a-z0-9_]*)+)\\s*\\.\\s*(?:[A-Z]|\\*)");

    @Test
    void noClassReferencesAPackageAboveItsOwn() throws IOException {
        Path main = TestPaths.projectRoot().resolve("lib/src/main/java");
        List<String> violations = new ArrayList<>();
        Set<String> upward = new TreeSet<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(main)) {
            for (Path file : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                files++;
                for (Reference r : references(Files.readString(file))) {
                    String where = main.relativize(file) + ":" + r.line();
                    String problem = check(r, className(file, r.from()));
                    if (problem == null) continue;
                    if (problem.startsWith("upward")) {
                        String key = className(file, r.from()) + " -> " + r.to();
                        if (KNOWN_UPWARD.contains(key)) {
                            upward.add(key);
                            continue;
                        }
                    }
                    violations.add(where + ": " + problem);
                }
            }
        }
        assertTrue(files > 100, "found only " + files + " sources under " + main);
        for (String stale : KNOWN_UPWARD) {
            if (!upward.contains(stale)) {
                violations.add("LayeringTest.KNOWN_UPWARD: '" + stale + "' no longer occurs: remove the entry");
            }
        }
        assertTrue(violations.isEmpty(), "layering (lib/README.md) broken:\n  " + String.join("\n  ", violations));
    }

    @Test
    void scannerSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String source = """
            package amface.image;

            import java.nio.file.Path;
            import amface.io.Files;
            import static amface.eval.VerificationResult.of;
            import amface.cli.*;

            /** Uses {@link amface.train.Trainer} only in a comment. */
            final class Sample {
                // amface.notebook.Display in a line comment
                String s = "amface.sweep.Sweep in a string";
                String t = \"""
                    amface.onnx.OnnxExport in a text block
                    \""";
                char c = '"';
                void f(Path p) throws Exception {
                    amface.data.AtomicFile.writeString(p, "x");
                    amface . nn . layers . OneDnn.usable();
                }
            }
            """;
        List<Reference> refs = references(source);
        assertEquals(List.of("amface.io@4", "amface.eval@5", "amface.cli@6", "amface.data@17", "amface.nn.layers@18"),
            refs.stream().map(r -> r.to() + "@" + r.line()).toList());
        assertEquals(List.of("amface.eval", "amface.cli", "amface.data", "amface.nn.layers"),
            refs.stream().filter(r -> check(r, "amface.image.Sample") != null).map(Reference::to).toList());
    }

    @Test
    void aPackageOutsideTheTableFailsWithAnInstruction() {
        String problem = check(new Reference("amface.lab", "amface.image", 3), "amface.lab.Thing");
        assertTrue(problem.contains("amface.lab") && problem.contains("LEVELS") && problem.contains("lib/README.md"),
            problem);
        assertTrue(check(new Reference("amface.nn", "amface.extra", 3), "amface.nn.X").contains("amface.extra"));
    }

    /** One reference from the file's package to another amface package, on a 1-based line. */
    record Reference(String from, String to, int line) { }

    /** Null when the reference keeps to the layering, else why not. */
    static String check(Reference r, String className) {
        for (String p : List.of(r.from(), r.to())) {
            if (!LEVELS.containsKey(p)) {
                return "package " + p + " (used by " + className + ") has no level: place it in LayeringTest.LEVELS"
                    + " and in the layering of lib/README.md";
            }
        }
        int from = LEVELS.get(r.from()), to = LEVELS.get(r.to());
        if (to <= from) return null;
        return "upward reference from " + className + " (level " + from + ") to " + r.to() + " (level " + to + ")";
    }

    private static String className(Path file, String pkg) {
        String name = file.getFileName().toString();
        return pkg + "." + name.substring(0, name.length() - ".java".length());
    }

    /** The amface packages a source refers to, in order, with its own package as {@code from}. */
    static List<Reference> references(String source) {
        String code = codeOnly(source);
        Matcher pm = PACKAGE.matcher(code);
        if (!pm.find()) throw new IllegalArgumentException("no package declaration");
        String from = pm.group(1);
        List<Reference> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String to = ("amface" + m.group(1)).replaceAll("\\s+", "");
            if (to.equals(from)) continue;
            int line = 1;
            for (int i = 0; i < m.start(); i++) if (code.charAt(i) == '\n') line++;
            refs.add(new Reference(from, to, line));
        }
        return refs;
    }

    /** The source with comments, strings, text blocks and char literals blanked (line breaks kept). */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char ch = s.charAt(i);
            String end = null;
            if (s.startsWith("//", i)) end = "\n";
            else if (s.startsWith("/*", i)) end = "*/";
            else if (s.startsWith("\"\"\"", i)) end = "\"\"\"";
            else if (ch == '"') end = "\"";
            else if (ch == '\'') end = "'";
            if (end == null) {
                out.append(ch);
                i++;
                continue;
            }
            boolean comment = end.equals("\n") || end.equals("*/");
            int j = i + (comment ? 2 : end.length());
            // in strings, text blocks and char literals a backslash escapes the next character
            while (j < n && !s.startsWith(end, j)) j += !comment && s.charAt(j) == '\\' ? 2 : 1;
            int stop = Math.min(n, end.equals("\n") ? j : j + end.length());
            for (int k = i; k < stop; k++) out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            i = stop;
        }
        return out.toString();
    }
}
