package amface.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import amface.image.BadImageException;
import amface.train.DataParallel;
import amface.train.SampleAugmentation;
import amface.train.TrainingException;
import amface.train.TrainConfig;

/**
 * {@link amface.train.Trainer}'s steps on Spark with DL4J's training masters: the trainer keeps the run folder,
 * checkpoints, metrics and the final model on the driver; each round of {@code round} steps sends
 * {@code workers x round} batches to the executors and trains the trainer's graph with
 * {@link Master#SHARED} (threshold-encoded gradient sharing over Aeron UDP, {@code SharedTrainingMaster}) or
 * {@link Master#AVERAGING} ({@code ParameterAveragingTrainingMaster}: the whole parameter vector, head included,
 * averaged once per round). The custom layers and the margin head travel as the graph's JSON configuration.
 * The executors read the images themselves (through Hadoop's file systems, {@link #data}); the driver sends each
 * round's plans (file names, labels, sample numbers: {@link BatchPlan}), and the batches built from them are those
 * of {@code amface train} byte for byte (same order, crops and mirrors), so a dataset never passes through the driver.
 *
 * <pre>{@code
 * TrainConfig c = ...; c.workers = 2;
 * Trainer.create(c).dataParallel(new SparkDataParallel(sc, SparkDataParallel.Master.AVERAGING)).run();
 * }</pre>
 */
public final class SparkDataParallel implements DataParallel {

    /** DL4J's training masters. */
    public enum Master { SHARED, AVERAGING }

    /**
     * The same two settings as JVM options, for executors ({@code spark.executor.extraJavaOptions}): gradient sharing
     * starts Aeron there too.
     */
    public static final String EXECUTOR_OPTIONS = "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
        + " -Daeron.publication.unblock.timeout=60s";

    static {
        // DL4J's default time source asks an internet NTP pool (unreachable on a closed cluster, 10 retries).
        if (System.getProperty("org.deeplearning4j.spark.time.TimeSource") == null) {
            System.setProperty("org.deeplearning4j.spark.time.TimeSource", "org.deeplearning4j.spark.time.SystemClockTimeSource");
        }
        // The M2 parameter server sets Aeron's client liveness to 30 s; Aeron 1.39 (ND4J M2.1's) refuses a
        // publication unblock timeout (default 15 s) not above it.
        if (System.getProperty("aeron.publication.unblock.timeout") == null) System.setProperty("aeron.publication.unblock.timeout", "60s");
    }

    private final JavaSparkContext sc;
    private final Master master;
    private int round = 1;
    private String networkMask = "127.0.0.0/8";
    private String controller = "127.0.0.1";
    private int port;
    private String data;
    private final AtomicLong resultBytes = new AtomicLong();
    private long loopbackBytes;
    private long stepsDone;

    public SparkDataParallel(JavaSparkContext sc, Master master) {
        this.sc = sc;
        this.master = master;
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) resultBytes.addAndGet(end.taskMetrics().resultSize());
            }
        });
    }

    /** Steps per round (per parameter average; per Spark job for gradient sharing); default 1. */
    public SparkDataParallel round(int steps) {
        if (steps < 1) throw new IllegalArgumentException("round must be at least 1 step, got " + steps);
        this.round = steps;
        return this;
    }

    /**
     * Where the executors read the training images: the config's {@code data} folder as a path or any Hadoop URI
     * holding the same tree (default: the {@code data} folder itself, which must then be visible to every executor).
     */
    public SparkDataParallel data(String uri) {
        this.data = uri;
        return this;
    }

    /** Gradient sharing: the network the executors' Aeron transports bind in, and the driver's address. */
    public SparkDataParallel network(String mask, String controllerAddress, int udpPort) {
        this.networkMask = mask;
        this.controller = controllerAddress;
        this.port = udpPort;
        return this;
    }

    /** What the last run sent per step, measured. */
    public record Traffic(Master master, long steps, double taskResultBytesPerStep, double loopbackBytesPerStep, long parameters) {
        public String line() {
            return String.format(Locale.ROOT, "%s: %d steps, %.0f bytes/step of task results (executors to driver), %.0f bytes/step on loopback (all traffic of this host's lo: Aeron UDP, block transfers); %d parameters (%d bytes as float)",
                master, steps, taskResultBytesPerStep, loopbackBytesPerStep, parameters, 4 * parameters);
        }
    }

    private long parameters;

    public Traffic traffic() {
        return new Traffic(master, stepsDone, stepsDone == 0 ? 0 : (double) resultBytes.get() / stepsDone,
            stepsDone == 0 ? 0 : (double) loopbackBytes / stepsDone, parameters);
    }

    @Override
    public Result run(Steps steps, long from) {
        TrainConfig c = steps.config();
        ComputationGraph graph = steps.graph();
        parameters = graph.numParams();
        int workers = c.workers;
        // Checkpoints fall on round ends: a round never straddles one.
        int perRound = (int) gcd(round, c.checkpointEvery > 0 ? c.checkpointEvery : round);
        SparkComputationGraph spark = new SparkComputationGraph(sc, graph, trainingMaster(c, perRound));
        // The executors read the images: the driver ships plans (file names, labels, sample numbers), not pixels.
        InputTree tree = InputTree.of(data != null ? data : c.data.toAbsolutePath().normalize().toUri().toString(), sc.hadoopConfiguration());
        SampleAugmentation augmentation = steps.augmentation();
        long step = from;
        double lastLoss = Double.NaN;
        resultBytes.set(0);
        long lo0 = Loopback.bytes();
        long t0 = System.nanoTime();
        try {
            while (step < steps.steps()) {
                if (steps.stopRequested()) return new Result(step, true, lastLoss);
                int n = (int) Math.min(perRound, steps.steps() - step);
                List<BatchPlan> plans = new ArrayList<>(n * workers);
                for (int i = 0; i < n * workers; i++) plans.add(steps.plan(step * workers + i));
                graph.getConfiguration().setIterationCount((int) step); // the learning-rate schedule counts steps
                long r0 = System.nanoTime();
                // Gradient sharing persists the RDD itself (its loss pass below reads the cached batches); dropped after the round.
                JavaRDD<DataSet> rdd = batches(sc, tree, augmentation, steps.classes(), plans, workers);
                org.nd4j.linalg.api.ndarray.INDArray before = master == Master.SHARED ? graph.params().dup() : null;
                try {
                    spark.fit(rdd);
                } catch (Exception e) {
                    throw JobFailure.training(e);
                }
                if (spark.getNetwork() != graph) graph.setParams(spark.getNetwork().params());
                if (before != null && graph.params().equals(before)) {
                    // Gradient sharing updates the driver's copy only through the updates it receives over Aeron; when
                    // none arrive the executors train and the driver's model silently stays as it was.
                    throw new amface.train.TrainingException("gradient sharing: a round of " + n + " steps left the driver's weights unchanged"
                        + " (no gradient updates reached the driver over Aeron: check --network/--controller and UDP between executors and driver)");
                }
                if (master == Master.SHARED && ExecutorStatistics.pull(sc, graph, workers) == 0) {
                    throw new TrainingException("gradient sharing: no executor returned its batch-norm statistics after a round");
                }
                step += n;
                stepsDone += n;
                // Parameter averaging reports the workers' mean loss; gradient sharing reports none (0), so its loss
                // is the trained network's on the round's batches (one more forward pass on the executors).
                lastLoss = master == Master.AVERAGING ? spark.getScore() : spark.calculateScore(rdd, true);
                rdd.unpersist(false);
                double ips = (double) n * workers * c.batch / ((System.nanoTime() - r0) / 1e9);
                steps.done(step, lastLoss, Double.NaN, ips);
            }
        } finally {
            loopbackBytes += Loopback.bytes() - lo0;
            if (master == Master.SHARED) spark.getTrainingMaster().deleteTempFiles(sc);
        }
        return new Result(step, false, lastLoss);
    }

    /** The plans' batches, read and built on the executors ({@code partitions} tasks), as the trainer builds them. */
    static JavaRDD<DataSet> batches(JavaSparkContext sc, InputTree tree, SampleAugmentation augmentation, int classes, List<BatchPlan> plans, int partitions) {
        return sc.parallelize(plans, partitions).map(new ReadBatch(tree, augmentation, classes));
    }

    /** One worker batch read where the task runs: each file through Hadoop's file system, fitted, cropped, mirrored. */
    private record ReadBatch(InputTree tree, SampleAugmentation augmentation, int classes) implements Function<BatchPlan, DataSet> {
        @Override
        public DataSet call(BatchPlan plan) {
            ExecutorThreads.forThisTask();
            int per = augmentation.floatsPerImage();
            float[] features = new float[Math.multiplyExact(per, plan.files().length)];
            for (int i = 0; i < plan.files().length; i++) {
                String name = tree.locate(plan.files()[i]);
                try {
                    augmentation.fill(augmentation.fit(tree.read(plan.files()[i]), name), plan.samples()[i], features, i * per);
                } catch (BadImageException e) {
                    throw new TrainingException("cannot read training image " + e.file() + ": " + e.reason(), e);
                }
            }
            DataParallel.Batch b = new DataParallel.Batch(plan.index(), features, plan.labels());
            return new DataSet(b.input(augmentation.height(), augmentation.width()), b.oneHot(classes));
        }
    }

    private TrainingMaster<?, ?> trainingMaster(TrainConfig c, int perRound) {
        return switch (master) {
            case AVERAGING -> new ParameterAveragingTrainingMaster.Builder(1).batchSizePerWorker(c.batch).averagingFrequency(perRound)
                .workerPrefetchNumBatches(0).saveUpdater(true).rddTrainingApproach(RDDTrainingApproach.Direct).build();
            case SHARED -> {
                VoidConfiguration v = VoidConfiguration.builder().portSupplier(new GradientSharingPort(port > 0 ? port : GradientSharingPort.freeUdpPort()))
                    .networkMask(networkMask).controllerAddress(controller).build();
                yield new SharedTrainingMaster.Builder(v, 1).batchSizePerWorker(c.batch).workersPerNode(1)
                    .workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct).build();
            }
        };
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Bytes through the loopback interface (Linux {@code /proc/net/dev}; 0 elsewhere). */
    static final class Loopback {
        private Loopback() { }

        static long bytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
                    String t = line.strip();
                    if (!t.startsWith("lo:")) continue;
                    String[] f = t.substring(3).strip().split("\\s+");
                    return Long.parseLong(f[0]); // received = sent on loopback
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }
    }
}
