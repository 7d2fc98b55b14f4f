package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import amface.train.Checkpoint;
import amface.train.Trainer;
import amface.train.MetricsLog;

/**
 * The done-when test of the sweep: {@code amface sweep} in a child JVM is killed (SIGKILL) after its first run has
 * a row and while its second run is mid-training with a checkpoint; started again (in this JVM), it skips the first run (its
 * folder untouched), resumes the second from its checkpoint, and ends with every run in results.csv exactly once.
 */
class SweepResumeTest {

    private static Process sweep(Path config, Path out, Path log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-Dorg.bytedeco.javacpp.maxbytes=4G", "-cp", System.getProperty("java.class.path"), "amface.cli.Main",
            "sweep", "--config", config.toString(), "--out", out.toString(), "--quiet");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> rows(Path out) throws IOException {
        Path csv = out.resolve(SweepResults.FILE);
        if (!Files.exists(csv)) return List.of();
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size());
    }

    /** A run folder other than {@code finished} whose checkpoint is at step 5 or later, or null. */
    private static Path midRun(Path out, String finished) throws IOException {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) return null;
        try (Stream<Path> s = Files.list(runs)) {
            for (Path dir : s.toList()) {
                Path cp = dir.resolve(Trainer.CHECKPOINT);
                if (dir.getFileName().toString().equals(finished) || !Files.exists(cp)) continue;
                try {
                    if (Checkpoint.readState(cp).step() >= 5) return dir;
                } catch (IOException | RuntimeException beingWritten) {
                    // renamed into place a moment later
                }
            }
        }
        return null;
    }

    @Test
    void killedSweepResumesWithoutRepeatingFinishedRuns(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("tiny.properties");
        Files.writeString(config, SweepTest.tinyConfig(30));
        Path out = tmp.resolve("sweep");

        Path firstLog = tmp.resolve("first.log");
        Process first = sweep(config, out, firstLog);
        Path second = null;
        String finished = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline && first.isAlive()) {
            List<String> rows = rows(out);
            if (!rows.isEmpty()) {
                finished = rows.get(0).split(",")[0];
                second = midRun(out, finished);
                if (second != null) {
                    first.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(first.waitFor(1, TimeUnit.MINUTES));
        assertTrue(second != null, "the sweep should be killed during its second run; log:\n" + Files.readString(firstLog));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");
        List<String> before = rows(out);
        assertEquals(1, before.size(), "killed before the second run finished; log:\n" + Files.readString(firstLog));
        long checkpointStep = Checkpoint.readState(second.resolve(Trainer.CHECKPOINT)).step();
        assertTrue(checkpointStep >= 5 && checkpointStep < 30, "second run's checkpoint at step " + checkpointStep);

        Path firstRun = out.resolve("runs").resolve(finished);
        Map<Path, byte[]> firstFiles = new HashMap<>();
        Map<Path, Long> firstTimes = SweepTest.modificationTimes(firstRun);
        for (Path p : firstTimes.keySet()) firstFiles.put(p, Files.readAllBytes(p));

        // the rerun in this JVM (as KillResumeTest resumes): the same command line, its stdout captured
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        int code;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            code = amface.cli.Main.run("sweep", "--config", config.toString(), "--out", out.toString(), "--quiet");
        } finally {
            System.setOut(stdout);
        }
        String log = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        assertTrue(log.contains("amface sweep: 3 runs, 1 finished before"), log);
        assertTrue(log.contains("run 1/3 softmax resface6-4c-24x20 seed 1 [" + finished + "]: skipped (finished)"), log);
        assertTrue(log.contains("run 2/3 normface s=10 resface6-4c-24x20 seed 1 [" + second.getFileName() + "]: resumed from its checkpoint"), log);
        assertTrue(log.contains("run 3/3 am:0.3 s=10 resface6-4c-24x20 seed 1") && log.contains(": started"), log);

        List<String> after = rows(out);
        assertEquals(3, after.size(), "every run exactly once:\n" + String.join("\n", after));
        assertEquals(before.get(0), after.get(0), "the finished run's row is kept as it was");
        List<String> hashes = new ArrayList<>();
        for (String row : after) hashes.add(row.split(",")[0]);
        assertEquals(3, hashes.stream().distinct().count(), hashes.toString());
        assertEquals(firstTimes, SweepTest.modificationTimes(firstRun), "the finished run's files were not rewritten");
        for (Map.Entry<Path, byte[]> e : firstFiles.entrySet()) assertTrue(java.util.Arrays.equals(e.getValue(), Files.readAllBytes(e.getKey())), e.getKey() + " changed");

        // the resumed run continued from its checkpoint: its metrics hold each step once, 30 in all
        MetricsLog metrics = MetricsLog.read(second.resolve(MetricsLog.FILE), Long.MAX_VALUE);
        assertEquals(30, metrics.size());
        SweepRow resumed = SweepResults.read(out).get(second.getFileName().toString());
        assertEquals(30, resumed.steps());
    }
}
