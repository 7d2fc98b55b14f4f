package amface.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a notebook finds things: the project root, data paths from environment variables, and the shared
 * test data ({@code ../shared/data} next to the project) when it is there.
 * <pre>{@code Path lfw = NotebookEnv.path("AMFACE_LFW", NotebookEnv.sharedData("lfw").orElse(null));}</pre>
 */
public final class NotebookEnv {
    /** Set by the kernel spec to the project root; otherwise the root is found from the working directory. */
    public static final String HOME_VARIABLE = "AMFACE_HOME";

    private NotebookEnv() { }

    /** The amface project root (the folder holding the {@code amface} launcher). */
    public static Path projectRoot() {
        String home = System.getenv(HOME_VARIABLE);
        if (home != null && !home.isBlank() && Files.isRegularFile(Path.of(home, "amface"))) return Path.of(home).toAbsolutePath();
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("amface")) && Files.isDirectory(q.resolve("lib"))) return q;
        }
        throw new IllegalStateException("cannot find the amface project root from " + p + "; set " + HOME_VARIABLE);
    }

    /**
     * The path in environment variable {@code variable} if set (it must exist), else {@code fallback}
     * (which may be null: the notebook then uses synthetic data).
     */
    public static Path path(String variable, Path fallback) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) return fallback;
        Path p = Path.of(value).toAbsolutePath();
        if (!Files.exists(p)) throw new IllegalArgumentException(variable + "=" + value + ": no such file or folder");
        return p;
    }

    /** {@code relative} under {@code ../shared/data} next to the project root, when it exists. */
    public static Optional<Path> sharedData(String relative) {
        return existing(projectRoot().resolveSibling("shared").resolve("data").resolve(relative));
    }

    /**
     * {@code relative} under {@code data/} in the project (ignored by git; where {@code environment/get-mtcnn-weights}
     * puts the MTCNN weights on a machine without the shared data), when it exists.
     */
    public static Optional<Path> localData(String relative) {
        return existing(projectRoot().resolve("data").resolve(relative));
    }

    private static Optional<Path> existing(Path p) {
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Deletes {@code dir} with everything in it, so that a notebook's run starts afresh; returns {@code dir}. Only a
     * folder under {@code runs/notebooks/} (a {@link #runDir}) is deleted: a folder a reader named (an environment
     * variable, a sweep's results) is refused, never wiped.
     */
    public static Path fresh(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        Path notebooks = projectRoot().resolve("runs").resolve("notebooks").toAbsolutePath().normalize();
        if (!d.startsWith(notebooks) || d.equals(notebooks)) throw new IllegalArgumentException("NotebookEnv.fresh deletes only folders under " + notebooks + ", not " + dir);
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) return dir;
        try (Stream<Path> files = Files.walk(d)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        return dir;
    }

    /** A folder for a notebook's outputs under {@code runs/notebooks/NAME}, created if needed. */
    public static Path runDir(String name) {
        Path dir = projectRoot().resolve("runs").resolve("notebooks").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }
}
