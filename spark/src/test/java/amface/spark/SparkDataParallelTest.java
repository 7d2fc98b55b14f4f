package amface.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import amface.nn.FaceModel;
import amface.train.Checkpoint;
import amface.train.DataParallel;
import amface.train.TrainConfig;
import amface.train.TrainResult;
import amface.train.TinyRuns;
import amface.train.Trainer;

/**
 * A few steps of a tiny ResFace with the AM-softmax head on {@code local[2]} with each of DL4J's training masters
 * (the M2 Spark jars on the M2.1 library): the custom layers and the margin head serialise, the trainer's checkpoint,
 * metrics and model appear on the driver, the weights move, and the bytes each master sends per step are printed.
 * Gradient sharing runs once per JVM (a second run in one JVM is DL4J issue #5924).
 */
class SparkDataParallelTest {
    private static JavaSparkContext sc;
    @TempDir
    static Path tmp;
    private static Path data;

    @BeforeAll
    static void start() throws IOException {
        data = TinyRuns.faces().train();
        sc = LocalSpark.start("SparkDataParallelTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    static TrainConfig tiny(Path out) {
        return tiny(data, out);
    }

    /** amface's tiny trainer-test run (TinyRuns), 6 steps of 2 workers x 8 images, checkpoints every 3. */
    static TrainConfig tiny(Path data, Path out) {
        TrainConfig c = TinyRuns.config(data, out);
        c.steps = 6;
        c.checkpointEvery = 3;
        c.loaderThreads = 1;
        c.prefetch = 2;
        c.workers = 2;
        return c;
    }

    @Test
    void parameterAveragingAndResume() throws IOException {
        trainAndCheck(SparkDataParallel.Master.AVERAGING);
        // A driver that stopped (or was killed) after the checkpoint of step 6 goes on from it with more steps.
        java.util.Properties more = new java.util.Properties();
        more.setProperty("steps", "9");
        Path run = tmp.resolve("run-" + SparkDataParallel.Master.AVERAGING);
        TrainResult r = Trainer.resume(run, more, null).dataParallel(new SparkDataParallel(sc, SparkDataParallel.Master.AVERAGING).round(3)).run();
        assertEquals(9, r.step());
        assertEquals(9, Checkpoint.readState(run.resolve(Trainer.CHECKPOINT)).step());
    }

    /**
     * The batches the executors read and build from the driver's plans are the trainer's own loader batches, float
     * for float (same images, order, crops and mirrors), for worker batches across a pass boundary.
     */
    @Test
    void executorsBuildTheTrainersBatchesFromPlans() throws IOException {
        TrainConfig c = tiny(tmp.resolve("run-plans"));
        long[] indices = {0, 1, 5, 17};
        TrainResult r = Trainer.create(c).dataParallel((steps, from) -> {
            List<DataParallel.BatchPlan> plans = new ArrayList<>();
            for (long k : indices) plans.add(steps.plan(k));
            InputTree tree = InputTree.of(c.data.toUri().toString(), sc.hadoopConfiguration());
            List<DataSet> built = SparkDataParallel.batches(sc, tree, steps.augmentation(), steps.classes(), plans, 2).collect();
            steps.start(0);
            try {
                long next = 0;
                for (int i = 0; i < indices.length; i++) {
                    DataParallel.Batch b = steps.next();
                    while (next++ < indices[i]) b = steps.next();
                    assertEquals(b.input(c.backbone().inputHeight(), c.backbone().inputWidth()), built.get(i).getFeatures(), "batch " + indices[i]);
                    assertEquals(b.oneHot(steps.classes()), built.get(i).getLabels(), "labels of batch " + indices[i]);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return new DataParallel.Result(from, true, Double.NaN);
        }).run();
        assertTrue(r.interrupted());
    }

    @Test
    void gradientSharing() throws IOException {
        trainAndCheck(SparkDataParallel.Master.SHARED);
    }

    private void trainAndCheck(SparkDataParallel.Master master) throws IOException {
        trainAndCheck(sc, master, tiny(tmp.resolve("run-" + master)));
    }

    /** Trains {@code c} with {@code master}, checks the run folder and that the weights moved, prints the traffic. */
    static SparkDataParallel.Traffic trainAndCheck(JavaSparkContext sc, SparkDataParallel.Master master, TrainConfig c) throws IOException {
        INDArray initial = Trainer.buildGraph(c, 6).params().dup();
        SparkDataParallel engine = new SparkDataParallel(sc, master).round(3);
        long t0 = System.nanoTime();
        TrainResult r = Trainer.create(c).dataParallel(engine).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(6, r.step());
        assertTrue(Double.isFinite(r.lastLoss()), "loss " + r.lastLoss());
        assertTrue(Files.isRegularFile(c.out.resolve(Trainer.CHECKPOINT)));
        assertTrue(Files.isRegularFile(c.out.resolve("metrics.csv")));
        assertEquals(6, Checkpoint.readState(c.out.resolve(Trainer.CHECKPOINT)).step());
        FaceModel m = FaceModel.load(c.out.resolve(Trainer.MODEL));
        assertEquals(16, m.embeddingSize());
        INDArray trained = Checkpoint.read(c.out.resolve(Trainer.CHECKPOINT)).graph().params();
        double moved = trained.sub(initial).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, master + ": the weights did not move (" + moved + ")");
        // The batch-norm running statistics (updated in the forward pass, never by gradients) reached the driver too.
        var initialTable = Trainer.buildGraph(c, 6).paramTable();
        var trainedTable = Checkpoint.read(c.out.resolve(Trainer.CHECKPOINT)).graph().paramTable();
        double statistics = 0;
        for (var e : trainedTable.entrySet()) {
            if (ExecutorStatistics.isStatistic(e.getKey())) statistics += e.getValue().sub(initialTable.get(e.getKey())).norm2Number().doubleValue();
        }
        assertTrue(statistics > 1e-4, master + ": the batch-norm running statistics stayed at their initial values");
        System.out.printf("%s: loss %.4f after 6 steps, %.1f s (load %s); %s%n", master, r.lastLoss(), seconds,
            Files.readString(Path.of("/proc/loadavg")).strip(), engine.traffic().line());
        return engine.traffic();
    }
}
