package amface.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

import amface.cli.Main;
import amface.data.IdentityDataset;
import amface.testing.TestPaths;

/** Schedules, the momentum updater, the loader's determinism, config files, checkpoint safety and CLI errors. */
class TrainPartsTest {

    @Test
    void referenceScheduleFile() throws Exception {
        LearningRateSchedule s = LearningRateSchedule.read(TestPaths.sharedData("learning_rate_AM_softmax.txt"), 1000);
        assertEquals(0.1, s.at(0));
        assertEquals(0.1, s.at(15_999));
        assertEquals(0.01, s.at(16_000));
        assertEquals(0.001, s.at(24_000));
        assertEquals(0.0001, s.at(28_000));
        assertEquals(0.0001, s.at(2_000_000));
        assertEquals(0.01, LearningRateSchedule.stepDecay(0.1, 0.1, new int[] {16, 24, 28}, 1000).at(16_500), 1e-15);
    }

    @Test
    void scheduleFileErrorsNameTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lr.txt");
        Files.writeString(f, "# comment\n0: 0.1\n\n5 0.01\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.read(f, 10));
        assertTrue(e.getMessage().startsWith(f + ":4: expected 'epoch: learning_rate'"), e.getMessage());
        Files.writeString(f, "0: 0.1\n5: 0.01\n3: 0.001\n");
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.read(f, 10));
        assertTrue(e.getMessage().contains(":3: epochs must increase"), e.getMessage());
        Files.writeString(f, "2: 0.1\n");
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.read(f, 10));
        assertTrue(e.getMessage().contains("first epoch must be 0"), e.getMessage());
    }

    @Test
    void cosineAndWarmup() {
        LearningRateSchedule c = LearningRateSchedule.cosine(0.1, 0.001, 100).withWarmup(10);
        assertEquals(0.1 * 1 / 10, c.at(0), 1e-3);
        assertEquals(0.001 + 0.5 * 0.099 * (1 + Math.cos(Math.PI * 0.5)), c.at(50), 1e-12);
        assertEquals(0.001, c.at(100), 1e-12);
        assertEquals(0.001, c.at(500), 1e-12);
    }

    @Test
    void momentumIsTheClassicalHeavyBall() {
        SgdMomentum config = new SgdMomentum(LearningRateSchedule.stepDecay(0.5, 0.1, new int[] {1}, 2), 0.9);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        GradientUpdater<?> u = config.instantiate(state, true);
        double[] v = new double[3];
        double[][] grads = {{1, -2, 0.5}, {0.3, 0.1, -1}, {2, 2, 2}};
        for (int it = 0; it < 3; it++) {
            INDArray g = Nd4j.createFromArray(grads[it]).reshape(1, 3);
            u.applyUpdater(g, it, 0);
            double lr = it < 2 ? 0.5 : 0.05;
            for (int k = 0; k < 3; k++) {
                v[k] = 0.9 * v[k] + grads[it][k];
                assertEquals(lr * v[k], g.getDouble(0, k), 1e-12, "update " + it + "," + k);
            }
        }
        assertArrayEquals(v, state.toDoubleVector(), 1e-12, "state is the velocity");
    }

    @Test
    void batchesDependOnSeedAndStepOnly() throws Exception {
        IdentityDataset d = IdentityDataset.scan(TinyRuns.faces().train());
        TrainingImages images = new TrainingImages(d, 32, 32, true);
        try (BatchLoader one = new BatchLoader(images, 8, 11, 2, true, 32, 32, 1, 1);
             BatchLoader three = new BatchLoader(images, 8, 11, 2, true, 32, 32, 3, 5)) {
            three.start(0);
            BatchLoader.Batch b0 = null;
            for (int step = 0; step < 9; step++) b0 = three.take();
            BatchLoader.Batch direct = one.build(8);
            assertEquals(8, b0.step());
            assertArrayEquals(direct.features(), b0.features());
            assertArrayEquals(direct.labels(), b0.labels());
        }
        // every image once per pass
        try (BatchLoader l = new BatchLoader(images, 8, 11, 0, false, 32, 32, 1, 1)) {
            int[] seen = new int[d.identityCount()];
            for (int step = 0; step < d.size() / 8; step++) for (int y : l.build(step).labels()) seen[y]++;
            for (int c : seen) assertEquals(8, c);
        }
    }

    @Test
    void configFileRoundTripAndErrors(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.defaults();
        c.head = "arcface";
        c.m = 0.5;
        c.schedule = Path.of("x.txt");
        Path f = dir.resolve("exp.properties");
        Files.writeString(f, c.toPropertiesText());
        TrainConfig back = TrainConfig.load(f);
        assertEquals(c.toProperties(), back.toProperties());
        Files.writeString(f, "head = am\nbatchsize = 12\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(f));
        assertTrue(e.getMessage().contains("unknown setting 'batchsize'"), e.getMessage());
        Files.writeString(f, "batch = many\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(f));
        assertTrue(e.getMessage().contains("batch = 'many' is not a valid integer"), e.getMessage());
    }

    @Test
    void experimentConfigsAreValid() throws Exception {
        try (var files = Files.list(TestPaths.projectRoot().resolve("configs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".properties")).toList()) {
                if (f.getFileName().toString().startsWith("sweep-")) continue; // SweepConfigTest reads those
                TrainConfig c = TrainConfig.load(f);
                c.data = Path.of("data");
                c.out = Path.of("out");
                c.validate();
            }
        }
    }

    @Test
    void cliErrorsAreOneLine(@TempDir Path dir) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            Map<String[], String> cases = Map.of(
                new String[] {"train", "--out", dir.resolve("r").toString(), "--resume"}, "no checkpoint there",
                new String[] {"train", "--out", dir.resolve("r2").toString(), "--data", dir.resolve("none").toString()}, "no such folder",
                new String[] {"train", "--out", dir.resolve("r3").toString(), "--data", dir.toString(), "--head", "bogus"}, "head = 'bogus' is not one of am, ",
                new String[] {"train", "--out", dir.resolve("r4").toString()}, "--data DIR is needed");
            for (Map.Entry<String[], String> c : cases.entrySet()) {
                buf.reset();
                assertEquals(2, Main.run(c.getKey()), String.join(" ", c.getKey()));
                String out = buf.toString().strip();
                assertTrue(out.contains(c.getValue()) && !out.contains("\n") && !out.contains("Exception"), out);
            }
        } finally {
            System.setErr(err);
        }
    }
}
