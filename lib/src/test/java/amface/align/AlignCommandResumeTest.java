package amface.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.ImageReader;
import amface.testing.TestPaths;

/**
 * {@code amface align} killed (SIGKILL) in the middle of a run, then rerun: it continues where it stopped, does not
 * redo finished images, leaves no half-written file, and ends with exactly one CSV row per image.
 */
class AlignCommandResumeTest {

    @TempDir
    Path tmp;

    private Process start(Path raw, Path out, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "amface.cli.Main", "align",
            "--input", raw.toString(), "--output", out.toString(), "--threads", "2",
            "--weights", TestPaths.sharedData("mtcnn").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int rows(Path csv) throws IOException {
        if (!Files.exists(csv)) return 0;
        return (int) new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count() - 1;
    }

    @Test
    void resumesAfterAKillWithoutRedoingOrHalfWrittenFiles() throws Exception {
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        Path raw = tmp.resolve("raw");
        int n = 0;
        for (String person : new String[] {"Aaron_Peirsol", "Abdullah_Gul", "Abel_Pacheco", "Adam_Sandler", "Adrien_Brody", "Ai_Sugiyama"}) {
            try (Stream<Path> s = Files.list(lfw.resolve(person))) {
                for (Path p : s.sorted().limit(8).toList()) {
                    Files.createDirectories(raw.resolve(person));
                    Files.copy(p, raw.resolve(person).resolve(p.getFileName()));
                    n++;
                }
            }
        }
        Files.write(raw.resolve("Adam_Sandler/broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2});
        n++;
        Path out = tmp.resolve("out");
        Path csv = out.resolve("landmarks.csv");

        Process first = start(raw, out, tmp.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (rows(csv) < 6 && first.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(first.isAlive(), "the first run ended before it could be killed: " + Files.readString(tmp.resolve("first.log")));
        first.destroyForcibly().waitFor();
        int before = rows(csv);
        assertTrue(before >= 6 && before < n, "killed after " + before + " of " + n + " rows");

        // Nothing half-written: every image file in the output tree decodes.
        Map<Path, FileTime> written = new HashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jpg")).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(files::add);
        }
        for (Path p : files) {
            ImageReader.read(p);
            written.put(p, Files.getLastModifiedTime(p));
        }
        Map<String, String> firstRows = LandmarksCsv.read(csv, false);

        Process second = start(raw, out, tmp.resolve("second.log"));
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the rerun did not finish");
        String log = Files.readString(tmp.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains(firstRows.size() + " from an earlier run"), log);

        Map<String, String> all = LandmarksCsv.read(csv, false);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(n + 1, lines.size(), "one row per image plus the header, no duplicates");
        assertEquals(n, all.size());
        for (Map.Entry<String, String> e : firstRows.entrySet()) assertEquals(e.getValue(), all.get(e.getKey()), "a finished row changed");
        for (Map.Entry<Path, FileTime> e : written.entrySet()) {
            String rel = out.relativize(e.getKey()).toString();
            if (firstRows.containsKey(rel)) assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), rel + " was redone");
        }
        assertEquals("unreadable", LandmarksCsv.status(all.get("Adam_Sandler/broken.jpg")));
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "temporary files left");
        }
    }
}
