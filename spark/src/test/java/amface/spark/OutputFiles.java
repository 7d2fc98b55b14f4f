package amface.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.stream.Stream;

import amface.io.FolderLock;

/** The files of an output tree by relative path (the job's lock file left out), to compare two runs' outputs byte for byte. */
final class OutputFiles {
    private OutputFiles() { }

    static TreeMap<String, byte[]> of(Path root) throws IOException {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals(FolderLock.FILE)) continue;
                m.put(rel, Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** Whether both trees hold the same files with the same bytes. */
    static boolean same(Path a, Path b) throws IOException {
        TreeMap<String, byte[]> x = of(a), y = of(b);
        if (!x.keySet().equals(y.keySet())) return false;
        for (String k : x.keySet()) if (!Arrays.equals(x.get(k), y.get(k))) return false;
        return true;
    }
}
