package amface.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Independent references in Python: a virtual environment made by {@code environment/pyvenv} from a committed
 * requirements file, and scripts run in it. Failure to create the environment fails the test (CI must run it).
 */
public final class Python {
    private Python() { }

    /** The python of the environment {@code name}, created from {@code requirements} (relative to the project root). */
    public static Path venv(String name, String requirements) {
        Path root = TestPaths.projectRoot();
        String out = run(root, List.of(root.resolve("environment/pyvenv").toString(), name, root.resolve(requirements).toString()), 1800);
        String[] lines = out.strip().split("\n");
        return Path.of(lines[lines.length - 1].strip());
    }

    /** Runs {@code python script args...} in the project root and returns its standard output. */
    public static String script(Path python, String scriptRelative, String... args) {
        Path root = TestPaths.projectRoot();
        List<String> cmd = new ArrayList<>(List.of(python.toString(), root.resolve(scriptRelative).toString()));
        cmd.addAll(List.of(args));
        return run(root, cmd, 1800);
    }

    private static String run(Path dir, List<String> cmd, long timeoutSeconds) {
        try {
            Path err = java.nio.file.Files.createTempFile("amface-python", ".err");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            String stderr = java.nio.file.Files.readString(err);
            java.nio.file.Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + stderr);
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
