package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.testing.TestPaths;
import amface.train.StepMetrics;
import amface.train.TrainConfig;
import amface.train.TrainListener;
import amface.train.TrainResult;
import amface.train.Trainer;

class LiveTrainingTest {

    private static SyntheticFaces.Written faces() throws Exception {
        return SyntheticFaces.builder().seed(3).difficulty(0.1).size(32, 32).build()
            .writeDataset(TestPaths.buildDir("notebook-tiny-faces"), 6, 8, 4, 40, Progress.NONE);
    }

    private static TrainConfig config(SyntheticFaces.Written data, Path out, long steps) {
        TrainConfig c = TrainConfig.defaults();
        c.data = data.train();
        c.out = out;
        c.pairs = data.pairs();
        c.pairsRoot = data.heldOut();
        c.pairsExtension = "png";
        c.channels = "4,8,8,8";
        c.units = "0,0,1,0";
        c.input = "32x32";
        c.embeddingSize = 16;
        c.s = 10;
        c.m = 0.2;
        c.batch = 8;
        c.steps = steps;
        c.lrPolicy = "constant";
        c.lr = 0.05;
        c.checkpointEvery = 100;
        c.verifyEvery = 5;
        c.cropPadding = 2;
        return c;
    }

    @Test
    void plotsLossAccuracyVerificationAndLearningRate(@TempDir Path dir) throws Exception {
        LiveTraining live = LiveTraining.create();
        TrainResult r = live.run(Trainer.create(config(faces(), dir.resolve("run"), 10)));
        assertFalse(r.interrupted());
        assertEquals(10, live.steps());
        assertEquals(10, live.chart().series("loss", "loss")[0].length);
        assertEquals(10, live.chart().series("accuracy", "batch")[0].length);
        double[][] verification = live.chart().series("accuracy", "verification");
        assertEquals(2, verification[0].length, "verified at steps 5 and 10");
        assertEquals(r.verificationAccuracy(), verification[1][1], 1e-12);
        assertEquals(0.05, live.chart().series("learning rate", "learning rate")[1][0], 1e-12);
        assertTrue(live.progress().text().startsWith("train: done at step 10"), live.progress().text());
        assertTrue(live.describe().contains("10 identities") || live.describe().contains("6 identities"), live.describe());
        assertTrue(Files.exists(r.model()));
        assertFalse(LiveTraining.isRunning());
    }

    @Test
    void anInterruptStopsTheRunWithACheckpointEvenThoughTheChartKeepsDrawing(@TempDir Path dir) throws Exception {
        // As in a kernel: the interrupt arrives while the listeners still draw after the step (drawing a chart
        // cleared the flag once, and training ran on).
        LiveTraining live = LiveTraining.with(LiveChart.create().every(Duration.ZERO), LiveProgress.create().every(Duration.ZERO));
        Trainer trainer = Trainer.create(config(faces(), dir.resolve("run"), 1000)).listener(new TrainListener() {
            @Override public void step(StepMetrics m) { if (m.step() == 4) Thread.currentThread().interrupt(); }
        });
        TrainResult r = live.run(trainer);
        assertTrue(r.interrupted());
        assertEquals(4, r.step());
        assertTrue(Files.exists(r.checkpoint()));
        assertEquals(r.checkpoint(), live.lastCheckpoint());
        assertTrue(live.progress().text().contains("stopped at step 4"), live.progress().text());
        Trainer resumed = Trainer.resume(dir.resolve("run"), props("steps", "6"), null);
        assertEquals(4, resumed.startStep());
        LiveTraining again = LiveTraining.create();
        assertFalse(again.run(resumed).interrupted());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, again.chart().series("loss", "loss")[0], "the earlier steps are drawn too");
    }

    private static java.util.Properties props(String key, String value) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(key, value);
        return p;
    }

    @Test
    void aSecondRunWaitsForAnInterruptedOneToSaveItsCheckpoint(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written data = faces();
        CountDownLatch atStep2 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<TrainResult> first = new AtomicReference<>();
        Trainer slow = Trainer.create(config(data, dir.resolve("a"), 1000)).listener(new TrainListener() {
            @Override public void step(StepMetrics m) {
                if (m.step() != 2) return;
                atStep2.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread cell = new Thread(() -> first.set(LiveTraining.create().run(slow)));
        cell.start();
        atStep2.await();
        assertTrue(LiveTraining.isRunning());
        assertFalse(LiveTraining.awaitStopped(Duration.ofMillis(50)));
        cell.interrupt();      // the kernel's interrupt: the cell thread is mid-step
        release.countDown();
        assertTrue(LiveTraining.awaitStopped(Duration.ofMinutes(2)));
        cell.join();
        assertNotNull(first.get());
        assertTrue(first.get().interrupted());
        assertTrue(Files.exists(dir.resolve("a").resolve(Trainer.CHECKPOINT)));
    }
}
