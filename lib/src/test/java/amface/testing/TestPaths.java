package amface.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the project root, the shared read-only data and a scratch folder. */
public final class TestPaths {
    private TestPaths() { }

    /** The project root: the nearest folder above the working directory that holds the {@code amface} launcher. */
    public static Path projectRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("amface"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no project root above " + System.getProperty("user.dir"));
        return p;
    }

    /** {@code ../shared/data} relative to the project root (CI has it). */
    public static Path sharedData() {
        return projectRoot().resolveSibling("shared").resolve("data");
    }

    /** A path under the shared data; the calling test is skipped, with the reason, when it is absent. */
    public static Path sharedData(String relative) {
        Path p = sharedData().resolve(relative);
        assumeTrue(Files.exists(p), "shared test data absent: " + p + " (tests that need it run where ../shared/data exists, as in CI)");
        return p;
    }

    /** The module's build folder, for screenshots, plots and other test artefacts worth looking at. */
    public static Path buildDir(String name) {
        try {
            Path dir = projectRoot().resolve("lib/target/test-artifacts").resolve(name);
            Files.createDirectories(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
