package amface.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.IdentityDataset;
import amface.data.SyntheticFaces;

/** The trainer on tiny synthetic runs: learning, resume equality, interrupts, clear errors, metrics. */
class TrainerTest {

    @Test
    void trainsWritesMetricsAndCheckpoints(@TempDir Path out) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        TrainConfig c = TinyRuns.config(faces.train(), out);
        c.steps = 40;
        c.pairs = faces.pairs();
        c.pairsRoot = faces.heldOut();
        c.pairsExtension = "png";
        c.verifyEvery = 20;
        List<StepMetrics> seen = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        List<Double> verified = new ArrayList<>();
        TrainResult r = Trainer.create(c).listener(new TrainListener() {
            @Override public void step(StepMetrics m) { seen.add(m); }
            @Override public void checkpointed(long step, Path file) { checkpoints.add(step); }
            @Override public void verified(long step, double accuracy, double std) { verified.add(accuracy); }
        }).run();
        assertEquals(40, r.step());
        assertFalse(r.interrupted());
        assertEquals(40, seen.size());
        assertEquals(List.of(10L, 20L, 30L, 40L), checkpoints);
        assertEquals(2, verified.size());
        assertTrue(verified.get(1) >= 0 && verified.get(1) <= 1);
        double first = seen.subList(0, 5).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        double last = seen.subList(35, 40).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        assertTrue(last < first, "loss should fall: " + first + " -> " + last);
        assertTrue(seen.get(39).imagesPerSecond() > 0 && seen.get(39).loaderImagesPerSecond() > 0);
        assertTrue(Files.isRegularFile(out.resolve(Trainer.CHECKPOINT)));
        assertTrue(Files.isRegularFile(out.resolve(Trainer.CONFIG_FILE)));
        amface.nn.FaceModel model = amface.nn.FaceModel.load(r.model());
        assertEquals(6, model.classNames().size());
        amface.image.RgbImage img = amface.image.ImageReader.read(faces.train().resolve("id00000/id00000_0001.png"));
        float[] e = model.embed(java.util.List.of(img))[0];
        assertEquals(16, e.length);
        // the saved model embeds exactly as the trained graph's embedding layer
        Checkpoint cp0 = Checkpoint.read(out.resolve(Trainer.CHECKPOINT));
        org.nd4j.linalg.api.ndarray.INDArray x = amface.image.ImageTensors.toTensor(java.util.List.of(img), amface.image.TensorLayout.NHWC);
        float[] direct = cp0.graph().output(java.util.List.of("embedding"), false, new org.nd4j.linalg.api.ndarray.INDArray[] {x}, null)[0].toFloatVector();
        org.junit.jupiter.api.Assertions.assertArrayEquals(direct, e, 1e-5f);
        MetricsLog log = MetricsLog.read(out.resolve(MetricsLog.FILE), Long.MAX_VALUE);
        assertEquals(40, log.size());
        assertEquals(seen.get(17).loss(), log.losses()[17], 0, "metrics.csv keeps the loss exactly");
        assertEquals(verified.get(1), log.table().doubleColumn("verification_accuracy").get(39), 1e-12);
        Checkpoint cp = Checkpoint.read(out.resolve(Trainer.CHECKPOINT));
        assertEquals(40, cp.state().step());
        assertEquals(6, cp.identities().size());
        assertEquals(40, cp.graph().getConfiguration().getIterationCount());
    }

    @Test
    void resumedRunRepeatsTheUninterruptedLosses(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        TrainConfig straight = TinyRuns.config(faces.train(), dir.resolve("straight"));
        straight.optimizer = "sgd";
        straight.marginWarmup = 15;
        assertEquals(20, Trainer.create(straight).run().step());
        double[] expected = MetricsLog.read(dir.resolve("straight").resolve(MetricsLog.FILE), 99).losses();

        TrainConfig first = TinyRuns.config(faces.train(), dir.resolve("split"));
        first.marginWarmup = 15;
        first.steps = 20;
        // stop after step 7 (between checkpoints): the checkpoint holds step 7
        Trainer t = Trainer.create(first);
        t.listener(new TrainListener() {
            @Override public void step(StepMetrics m) { if (m.step() == 7) Thread.currentThread().interrupt(); }
        });
        TrainResult stopped = t.run();
        assertTrue(stopped.interrupted());
        assertEquals(null, stopped.model());
        assertEquals(7, stopped.step());
        assertFalse(Thread.currentThread().isInterrupted(), "the trainer returns cleanly and clears the interrupt");
        TrainResult resumed = Trainer.resume(dir.resolve("split")).run();
        assertEquals(20, resumed.step());
        double[] actual = MetricsLog.read(dir.resolve("split").resolve(MetricsLog.FILE), 99).losses();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.abs(expected[i]), "loss of step " + (i + 1));
        }
    }

    @Test
    void anInterruptFromAnotherThreadAtAnyMomentEndsTheRunWithACheckpoint(@TempDir Path dir) throws Exception {
        // As a kernel interrupt lands: at a random point of a step (once, inside a parallel batch-norm kernel, it
        // threw and the run ended with no result and no checkpoint).
        SyntheticFaces.Written faces = TinyRuns.faces();
        Random random = new Random(11);
        for (int run = 0; run < 16; run++) {
            // half the runs on the oneDNN path, half on libnd4j's conv2d with the Java batch-norm kernels
            if (run % 2 == 1) System.setProperty("amface.nn.conv", "nd4j"); else System.clearProperty("amface.nn.conv");
            TrainConfig c = TinyRuns.config(faces.train(), dir.resolve("run" + run));
            c.steps = 1_000_000;
            c.checkpointEvery = 1_000_000;
            AtomicLong steps = new AtomicLong();
            Trainer t = Trainer.create(c).listener(new TrainListener() {
                @Override public void step(StepMetrics m) { steps.set(m.step()); }
            });
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread cell = new Thread(() -> {
                try {
                    outcome.set(t.run());
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            cell.start();
            while (steps.get() < 2 && cell.isAlive()) Thread.sleep(1);
            Thread.sleep(random.nextInt(40));
            cell.interrupt();
            cell.join(120_000);
            assertFalse(cell.isAlive(), "run " + run + " still trains 2 minutes after the interrupt");
            assertTrue(outcome.get() instanceof TrainResult, "run " + run + " ended with " + outcome.get());
            TrainResult r = (TrainResult) outcome.get();
            assertTrue(r.interrupted(), "run " + run);
            assertEquals(steps.get(), r.step(), "run " + run + ": the checkpoint holds the last finished step");
            assertTrue(Files.isRegularFile(r.checkpoint()), "run " + run);
        }
        System.clearProperty("amface.nn.conv");
    }

    @Test
    void refusesOneClassEmptyAndMismatchedData(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        IdentityDataset all = IdentityDataset.scan(faces.train());
        IdentityDataset one = all.withIdentities(List.of(all.identities().get(0)));
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.create(TinyRuns.config(faces.train(), dir.resolve("a")), one));
        assertTrue(e.getMessage().contains("only one identity"), e.getMessage());

        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(TrainingException.class, () -> Trainer.create(TinyRuns.config(dir.resolve("empty"), dir.resolve("b"))));
        assertTrue(e.getMessage().contains("no identity folders"), e.getMessage());

        TrainConfig c = TinyRuns.config(faces.train(), dir.resolve("c"));
        c.steps = 2;
        c.checkpointEvery = 2;
        Trainer.create(c).run();
        IdentityDataset fewer = all.withIdentities(all.identities().subList(0, 4));
        e = assertThrows(TrainingException.class, () -> Trainer.resume(dir.resolve("c"), new Properties(), fewer));
        assertTrue(e.getMessage().contains("has 4 identities") && e.getMessage().contains("trained on 6"), e.getMessage());

        e = assertThrows(TrainingException.class, () -> Trainer.create(c));
        assertTrue(e.getMessage().contains("already holds a checkpoint"), e.getMessage());

        Properties change = new Properties();
        change.setProperty("m", "0.5");
        e = assertThrows(TrainingException.class, () -> Trainer.resume(dir.resolve("c"), change, null));
        assertTrue(e.getMessage().contains("m (checkpoint: 0.2, given: 0.5)"), e.getMessage());
    }

    /** Issue 16 defect 9: training fits images by the rule embed uses (InputFit), says which, and refuses another aspect ratio first. */
    @Test
    void trainingImagesFitByTheRuleEmbedUses(@TempDir Path dir) throws Exception {
        TrainConfig c = TinyRuns.config(TinyRuns.faces().train(), dir.resolve("a")); // 32x32 images
        Trainer same = Trainer.create(c);
        same.close();
        assertEquals("used as they are (32x32)", same.inputFit());
        c.input = "64x64";
        c.out = dir.resolve("b");
        Trainer larger = Trainer.create(c);
        larger.close();
        assertEquals("resized from 32x32 to 64x64 (same aspect ratio)", larger.inputFit());
        c.input = "48x32";
        c.out = dir.resolve("c");
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.create(c));
        assertTrue(e.getMessage().contains("is 32x32 (HxW) but the model takes 48x32: the aspect ratios differ"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("c").resolve(Trainer.CONFIG_FILE)), "refused before the run folder is written");
    }

    @Test
    void stopsOnNonFiniteLossNamingTheStep(@TempDir Path dir) throws Exception {
        TrainConfig c = TinyRuns.config(TinyRuns.faces().train(), dir);
        c.head = "softmax";
        c.lr = 1e12;
        c.steps = 30;
        c.checkpointEvery = 1;
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.create(c).run());
        assertTrue(e.getMessage().matches("(?s)(the loss became (NaN|Infinity|-Infinity)|training diverged) at step \\d+.*"), e.getMessage());
        assertTrue(e.getMessage().contains("is intact"), e.getMessage());
        long step = Long.parseLong(e.getMessage().replaceAll("(?s).*at step (\\d+).*", "$1"));
        assertEquals(step - 1, Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)).state().step(), "the last good step's checkpoint is kept");
    }

    @Test
    void dataParallelWithTwoWorkers(@TempDir Path dir) throws Exception {
        TrainConfig c = TinyRuns.config(TinyRuns.faces().train(), dir);
        c.workers = 2;
        c.steps = 12;
        c.checkpointEvery = 6;
        List<StepMetrics> seen = new ArrayList<>();
        TrainResult r = Trainer.create(c).listener(new TrainListener() {
            @Override public void step(StepMetrics m) { seen.add(m); }
        }).run();
        assertEquals(12, r.step());
        assertEquals(12, seen.size());
        assertTrue(seen.stream().allMatch(m -> Double.isFinite(m.loss())), "every step reports a loss");
        Checkpoint cp = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
        assertEquals(12, cp.state().step());
        assertEquals(12, cp.graph().getConfiguration().getIterationCount());
        TrainConfig more = cp.config();
        assertEquals(2, more.workers);
        Properties p = new Properties();
        p.setProperty("steps", "14");
        assertEquals(14, Trainer.resume(dir, p, null).run().step());
    }
}
