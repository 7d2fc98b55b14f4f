package amface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.image.ImageReader;
import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.testing.TestPaths;
import amface.train.Checkpoint;
import amface.train.MetricsLog;
import amface.train.RunFolder;
import amface.train.Trainer;

/**
 * The reliability suite of issue 16: the commands run as real processes (child JVMs) and are misused as a hostile
 * user would: the output given as the input, two processes on one output, {@code kill -9} mid-run then a rerun,
 * a named pipe and odd files in the input tree, a foreign checkpoint, a full file system. Each case checks that
 * the refusal is one clear line naming the file, value or process, and that nothing already done is lost or
 * overwritten. Kept to a few minutes: small inputs, tiny networks.
 */
class ReliabilitySuiteTest {
    private static final long TIMEOUT_SECONDS = 240;
    private static final String LANDMARKS = "landmarks.csv";

    @TempDir
    Path tmp;

    private record Done(int code, String log) { }

    private static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-Dorg.bytedeco.javacpp.maxbytes=4G", "-cp", System.getProperty("java.class.path"), "amface.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }

    private Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(javaCommand(List.of(args))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Done await(Process p, Path log) throws Exception {
        boolean ended = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the process hung; log:\n" + text);
        return new Done(p.exitValue(), text);
    }

    private Done run(String name, String... args) throws Exception {
        Path log = tmp.resolve(name + ".log");
        return await(start(log, args), log);
    }

    private static void assertRefused(Done d, String expected) {
        assertEquals(2, d.code(), d.log());
        assertTrue(d.log().contains(expected), "'" + d.log().strip() + "' should contain '" + expected + "'");
        assertFalse(d.log().contains("\tat "), "no stack trace: " + d.log());
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) files.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return files;
    }

    private static void assertSameContents(Map<String, byte[]> before, Path root) throws IOException {
        Map<String, byte[]> after = contents(root);
        assertEquals(before.keySet(), after.keySet(), root + ": the same files");
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k + " changed");
    }

    private static List<Path> hiddenLeftovers(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> AtomicFile.isTemporary(p) || p.getFileName().toString().endsWith(".amface.lock")
                || p.getFileName().toString().equals(FolderLock.FILE)).toList();
        }
    }

    /** {@code per} LFW images of each of {@code people}, as symbolic links (notebook 01's smoke input is such a tree). */
    private Path lfwLinks(String name, int people, int per) throws IOException {
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        Path raw = tmp.resolve(name);
        List<Path> folders;
        try (Stream<Path> s = Files.list(lfw)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        int taken = 0;
        for (Path person : folders) {
            if (taken == people) break;
            List<Path> images;
            try (Stream<Path> s = Files.list(person)) {
                images = s.sorted().limit(per).toList();
            }
            if (images.size() < per) continue;
            Files.createDirectories(raw.resolve(person.getFileName().toString()));
            for (Path img : images) Files.createSymbolicLink(raw.resolve(person.getFileName().toString()).resolve(img.getFileName().toString()), img);
            taken++;
        }
        return raw;
    }

    private String[] align(Path input, Path output) {
        return new String[] {"align", "--input", input.toString(), "--output", output.toString(), "--threads", "2",
            "--weights", TestPaths.sharedData("mtcnn").toString()};
    }

    /** The landmarks CSV's rows by image path (its first field); read here as a user's script would. */
    private static Map<String, String> landmarks(Path csv) throws IOException {
        Map<String, String> rows = new java.util.TreeMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String previous = rows.put(line.substring(0, line.indexOf(',')), line);
            assertEquals(null, previous, "a row twice: " + line);
        }
        return rows;
    }

    /** Finished rows so far (the CSV is appended to while the job runs). */
    private static int rows(Path csv) throws IOException {
        if (!Files.exists(csv)) return 0;
        return (int) Math.max(0, new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count() - 1);
    }

    /** Defect 1: the output given as the input (also through a link, or a folder holding it) is refused; no original changes. */
    @Test
    void alignNeverWritesIntoItsInput() throws Exception {
        Path raw = lfwLinks("raw", 2, 2);
        Path real = tmp.resolve("copies");
        for (Path p : contents(raw).keySet().stream().map(raw::resolve).toList()) {
            Path to = real.resolve(raw.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Map<String, byte[]> before = contents(real);
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-copies"), real);
        assertRefused(run("same", align(real, real)), "is the input folder");
        assertRefused(run("via-link", align(real, link)), "is the input folder");
        assertRefused(run("holding", align(real, tmp)), "contains the input");
        assertSameContents(before, real);
    }

    /**
     * Defects 2 and 6, and kill -9: two aligns started at once on one output, then one killed mid-run and rerun.
     * However the two interleave, the CSV ends with exactly one row per image and every listed chip decodes; a
     * second process is refused naming the holder while the first runs; the killed run's lock is taken over.
     */
    @Test
    void concurrentAndKilledAlignsLoseNothing() throws Exception {
        Path raw = lfwLinks("raw", 6, 4);
        int images = 24;
        Path out = tmp.resolve("aligned");
        Path csv = out.resolve(LANDMARKS);

        Process first = start(tmp.resolve("a.log"), align(raw, out));
        Process second = start(tmp.resolve("b.log"), align(raw, out));
        Done a = await(first, tmp.resolve("a.log"));
        Done b = await(second, tmp.resolve("b.log"));
        assertTrue(a.code() == 0 || b.code() == 0, a.log() + "\n" + b.log());
        if (a.code() != 0 || b.code() != 0) {
            Done refused = a.code() != 0 ? a : b;
            long holder = a.code() != 0 ? second.pid() : first.pid();
            assertRefused(refused, "is in use by pid " + holder);
        } else {
            assertTrue(b.log().contains(images + " from an earlier run") || a.log().contains(images + " from an earlier run"),
                "run one after the other, the second found everything done:\n" + a.log() + "\n" + b.log());
        }
        assertEquals(images + 1, Files.readAllLines(csv).size(), "one row per image plus the header");
        assertEquals(List.of(), hiddenLeftovers(out));

        // A job killed with SIGKILL while it holds the folder: the next run takes the stale lock over and finishes.
        Path out2 = tmp.resolve("aligned2");
        Path csv2 = out2.resolve(LANDMARKS);
        Process killed = start(tmp.resolve("k.log"), align(raw, out2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (killed.isAlive() && rows(csv2) < 4 && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(killed.isAlive(), "ended before it could be killed: " + Files.readString(tmp.resolve("k.log")));
        killed.destroyForcibly().waitFor();
        assertTrue(Files.exists(out2.resolve(FolderLock.FILE)), "SIGKILL leaves the lock");
        // What a kill during an atomic write leaves, in this version's and older versions' names.
        Path person = Files.list(out2).filter(Files::isDirectory).findFirst().orElseThrow();
        Files.writeString(person.resolve(".tmp2x0k9zq1m-" + person.getFileName() + "_0007.jpg"), "half a chip");
        Files.writeString(person.resolve(AtomicFile.TEMPORARY_PREFIX + "k3j-" + person.getFileName() + "_0008.jpg"), "half a chip");
        Done resumed = run("resume", align(raw, out2));
        assertEquals(0, resumed.code(), resumed.log());
        assertTrue(resumed.log().contains("taking over from pid " + killed.pid()), resumed.log());
        assertEquals(images + 1, Files.readAllLines(csv2).size());
        assertEquals(List.of(), hiddenLeftovers(out2), "temporary files of the killed run removed");
        assertEquals(landmarks(csv), landmarks(csv2), "the same rows as the uninterrupted runs");
    }

    /**
     * Defects 5 and 7, and odd files: a named pipe with an image name, an empty file, text named .jpg, a 1x1 image
     * and a folder named .jpg in the input; then a chip deleted and another truncated after the run. Nothing hangs,
     * each odd entry is listed by name, and the rerun redoes exactly the two damaged chips.
     */
    @Test
    void oddInputFilesAndDamagedOutputs() throws Exception {
        Path raw = lfwLinks("raw", 2, 2);
        Path odd = Files.createDirectories(raw.resolve("Odd_Person"));
        Process mkfifo = new ProcessBuilder("mkfifo", odd.resolve("pipe.jpg").toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        Files.write(odd.resolve("empty.jpg"), new byte[0]);
        Files.writeString(odd.resolve("notes.jpg"), "not an image\n");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", odd.resolve("pixel.png").toFile());
        Files.createDirectories(odd.resolve("folder.jpg"));
        Path out = tmp.resolve("aligned");
        Done first = run("first", align(raw, out));
        assertEquals(0, first.code(), first.log());
        assertTrue(first.log().contains("pipe.jpg: skipped, not a regular file"), first.log());
        assertTrue(first.log().contains("empty.jpg: empty file"), first.log());
        assertTrue(first.log().contains("notes.jpg: "), first.log());
        assertTrue(first.log().contains("pixel.png: too small to hold a face (1x1 pixels"), first.log());
        assertFalse(Files.exists(out.resolve("Odd_Person/pixel.png")), "no grey chip of a 1x1 image");

        Map<String, String> rows = landmarks(out.resolve(LANDMARKS));
        List<String> chips = rows.keySet().stream().filter(k -> rows.get(k).split(",", -1)[1].equals("aligned")).sorted().toList();
        assertTrue(chips.size() >= 2, rows.toString());
        Files.delete(out.resolve(chips.get(0)));
        byte[] whole = Files.readAllBytes(out.resolve(chips.get(1)));
        Files.write(out.resolve(chips.get(1)), java.util.Arrays.copyOf(whole, whole.length / 2));
        Done again = run("again", align(raw, out));
        assertEquals(0, again.code(), again.log());
        assertTrue(again.log().contains("2 listed as done were missing or damaged and were redone"), again.log());
        ImageReader.read(out.resolve(chips.get(0)));
        assertArrayEquals(whole, Files.readAllBytes(out.resolve(chips.get(1))), "redone to the same chip");
        assertEquals(rows, landmarks(out.resolve(LANDMARKS)));
    }

    private static SyntheticFaces.Written faces() throws IOException {
        return SyntheticFaces.builder().seed(3).difficulty(0.1).size(32, 32).build()
            .writeDataset(TestPaths.buildDir("reliability-faces"), 6, 8, 4, 40, Progress.NONE);
    }

    private static String[] train(Path data, Path out, String head, int steps) {
        return new String[] {"train", "--data", data.toString(), "--out", out.toString(), "--channels", "4,8,8,8", "--units", "0,0,1,0",
            "--input", "32x32", "--embedding-size", "16", "--head", head, "--s", "10", "--m", "0.2", "--batch", "8", "--steps",
            Integer.toString(steps), "--lr-policy", "constant", "--lr", "0.05", "--checkpoint-every", "5", "--seed", "7", "--quiet"};
    }

    /**
     * Defects 3 and 4, and kill -9: a second train on a running run's folder is refused naming the first; the
     * first is killed mid-run; a checkpoint of another run (other head and width) copied into a copy of the folder is
     * refused naming what differs, with nothing rewritten; the killed run resumes, taking its stale lock over, to the
     * end, with one metrics row per step.
     */
    @Test
    void concurrentKilledAndForeignTrainingRuns() throws Exception {
        Path data = faces().train();
        Path run = tmp.resolve("run");
        Process first = start(tmp.resolve("first.log"), train(data, run, "am", 400));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (first.isAlive() && !Files.exists(run.resolve(FolderLock.FILE)) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(first.isAlive(), Files.readString(tmp.resolve("first.log")));
        Done second = run("second", train(data, run, "arcface", 20));
        assertRefused(second, "is in use by pid " + first.pid());

        Path checkpoint = run.resolve(Trainer.CHECKPOINT);
        while (first.isAlive() && System.nanoTime() < deadline) {
            try {
                if (Files.exists(checkpoint) && Checkpoint.readState(checkpoint).step() >= 10) break;
            } catch (IOException | RuntimeException beingRenamed) {
                // renamed into place a moment later
            }
            Thread.sleep(20);
        }
        assertTrue(first.isAlive(), "the first run should still be training: " + Files.readString(tmp.resolve("first.log")));
        first.destroyForcibly().waitFor();
        long atKill = Checkpoint.readState(checkpoint).step();
        Properties config = new Properties();
        try (var r = Files.newBufferedReader(run.resolve(Trainer.CONFIG_FILE))) {
            config.load(r);
        }
        assertEquals("am", config.getProperty("head"), "the folder's config is the first run's, not the refused one's");

        // A checkpoint of another run: refused naming the differences; the folder is left exactly as it was.
        Path other = tmp.resolve("other");
        Done arc = run("other", train(data, other, "arcface", 5));
        assertEquals(0, arc.code(), arc.log());
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        for (String f : List.of(Trainer.CONFIG_FILE, RunFolder.RECORD, MetricsLog.FILE)) Files.copy(run.resolve(f), foreign.resolve(f));
        Files.copy(other.resolve(Trainer.CHECKPOINT), foreign.resolve(Trainer.CHECKPOINT));
        Map<String, byte[]> before = contents(foreign);
        assertRefused(run("foreign", "train", "--out", foreign.toString(), "--resume", "--quiet"),
            "is not this run's checkpoint: it differs from what " + foreign.resolve(RunFolder.RECORD) + " records in head (run folder: am, checkpoint: arcface)");
        assertSameContents(before, foreign);

        long steps = Math.max(30, atKill + 10);
        Done resumed = run("resumed", "train", "--out", run.toString(), "--resume", "--steps", Long.toString(steps), "--quiet");
        assertEquals(0, resumed.code(), resumed.log());
        assertTrue(resumed.log().contains("taking over from pid " + first.pid()), resumed.log());
        assertEquals(steps, MetricsLog.read(run.resolve(MetricsLog.FILE), Long.MAX_VALUE).size(), "one metrics row per step, none doubled");
        assertEquals(List.of(), hiddenLeftovers(run));
    }

    /**
     * A full disk: the run folder on a small file system (tmpfs in a private mount namespace, where the platform
     * allows it) that fills up at a checkpoint. The job fails with one line naming the file and the cause, leaves
     * no temporary file and no damaged checkpoint, and the run then resumes (or restarts) elsewhere to the end.
     */
    @Test
    void aFullDiskFailsCleanlyAndTheRunContinues() throws Exception {
        Path data = faces().train();
        Path mount = Files.createDirectories(tmp.resolve("small-fs"));
        Path saved = tmp.resolve("saved");
        String java = String.join(" ", javaCommand(List.of(train(data, mount.resolve("run"), "am", 40))).stream().map(ReliabilitySuiteTest::quote).toList());
        // 64 KiB: the run's small files (4 KiB each) and one checkpoint (about 30 KiB) fit, a second checkpoint's temporary copy does not.
        String script = "mount -t tmpfs -o size=64k tmpfs " + quote(mount.toString()) + " || exit 99\n"
            + java + " > " + quote(tmp.resolve("full.log").toString()) + " 2>&1; code=$?\n"
            + "cp -a " + quote(mount.resolve("run").toString()) + " " + quote(saved.toString()) + "\nexit $code\n";
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).redirectErrorStream(true).redirectOutput(tmp.resolve("unshare.log").toFile()).start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "hung");
        assumeTrue(p.exitValue() != 99 && Files.exists(tmp.resolve("full.log")),
            "cannot mount a small file system here (unshare -rm / tmpfs): " + Files.readString(tmp.resolve("unshare.log")));
        String log = Files.readString(tmp.resolve("full.log"));
        assertNotEquals(0, p.exitValue(), "a 64 KiB disk cannot hold this run: " + log);
        assertEquals(2, p.exitValue(), log);
        assertTrue(log.contains("No space left on device") && log.contains(mount.resolve("run").toString()), log);
        assertFalse(log.contains("\tat "), "no stack trace: " + log);
        assertEquals(List.of(), hiddenLeftovers(saved));
        boolean hasCheckpoint = Files.exists(saved.resolve(Trainer.CHECKPOINT));
        if (hasCheckpoint) Checkpoint.readState(saved.resolve(Trainer.CHECKPOINT)); // whole
        Done after = hasCheckpoint ? run("after", "train", "--out", saved.toString(), "--resume", "--data", data.toString(), "--quiet")
            : run("after", train(data, saved, "am", 40));
        assertEquals(0, after.code(), after.log());
        assertEquals(40, MetricsLog.read(saved.resolve(MetricsLog.FILE), Long.MAX_VALUE).size());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
