package amface.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.cli.Main;
import amface.data.SyntheticFaces;

/**
 * The done-when test for resume: {@code amface train} in a child JVM is killed with SIGKILL between checkpoints,
 * resumed with {@code --resume}, and its loss sequence matches an uninterrupted run to 1e-6 relative.
 */
class KillResumeTest {

    private static List<String> trainArgs(SyntheticFaces.Written faces, Path out) {
        return List.of("train", "--data", faces.train().toString(), "--out", out.toString(),
            "--channels", "4,8,8,8", "--units", "0,0,1,0", "--input", "32x32", "--embedding-size", "16", "--keep-prob", "0.8",
            "--s", "10", "--m", "0.2", "--margin-warmup", "10", "--batch", "8", "--steps", "30", "--lr-policy", "cosine", "--lr", "0.05",
            "--checkpoint-every", "5", "--crop-padding", "2", "--seed", "7", "--quiet");
    }

    private static Process child(SyntheticFaces.Written faces, Path out, Path log) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-Dorg.bytedeco.javacpp.maxbytes=4G", "-cp", System.getProperty("java.class.path"), "amface.cli.Main"));
        cmd.addAll(trainArgs(faces, out));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** SIGTERM (as Ctrl-C's SIGINT) runs the shutdown hook: the run saves a checkpoint of its current step and exits. */
    @Test
    void terminatedRunSavesItsCurrentStep(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        Path out = dir.resolve("run");
        Path log = dir.resolve("child.log");
        Process child = child(faces, out, log);
        Path checkpoint = out.resolve(Trainer.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline && child.isAlive() && !(Files.exists(checkpoint) && Checkpoint.readState(checkpoint).step() >= 5)) {
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "the child should still be training; log:\n" + Files.readString(log));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(2, TimeUnit.MINUTES));
        String text = Files.readString(log);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stopped after (\\d+) steps").matcher(text);
        assertTrue(m.find(), "the run reports its stop; log:\n" + text);
        long stoppedAt = Long.parseLong(m.group(1));
        assertEquals(stoppedAt, Checkpoint.readState(checkpoint).step(), "the checkpoint holds the step the run stopped at");
        assertEquals(stoppedAt, MetricsLog.read(out.resolve(MetricsLog.FILE), Long.MAX_VALUE).size());
    }

    @Test
    void killedRunResumesToTheSameLosses(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();

        Path straight = dir.resolve("straight");
        assertEquals(0, Main.run(trainArgs(faces, straight).toArray(new String[0])));
        double[] expected = MetricsLog.read(straight.resolve(MetricsLog.FILE), Long.MAX_VALUE).losses();
        assertEquals(30, expected.length);

        Path killed = dir.resolve("killed");
        Process child = child(faces, killed, dir.resolve("child.log"));
        Path checkpoint = killed.resolve(Trainer.CHECKPOINT);
        long killedAfter = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(checkpoint)) {
                long step = Checkpoint.readState(checkpoint).step();
                if (step >= 10) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
                    killedAfter = step;
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertTrue(killedAfter >= 10 && killedAfter < 30, "the child should be killed mid-run; log:\n" + Files.readString(dir.resolve("child.log")));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        long atResume = Checkpoint.readState(checkpoint).step();
        assertTrue(atResume < 30, "checkpoint at step " + atResume);

        assertEquals(0, Main.run("train", "--out", killed.toString(), "--resume", "--quiet"));
        double[] actual = MetricsLog.read(killed.resolve(MetricsLog.FILE), Long.MAX_VALUE).losses();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.abs(expected[i]), "loss of step " + (i + 1) + " (killed after checkpoint " + atResume + ")");
        }
    }
}
