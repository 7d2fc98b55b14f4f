package amface.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.api.java.JavaSparkContext;
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

import amface.train.DataParallel;
import amface.train.TrainConfig;

/**
 * {@link amface.train.Trainer}'s steps on Spark with DL4J's training masters: the trainer keeps the run folder,
 * checkpoints, metrics and the final model on the driver; each round of {@code round} steps sends
 * {@code workers x round} batches to the executors and trains the trainer's graph with
 * {@link Master#SHARED} (threshold-encoded gradient sharing over Aeron UDP, {@code SharedTrainingMaster}) or
 * {@link Master#AVERAGING} ({@code ParameterAveragingTrainingMaster}: the whole parameter vector, head included,
 * averaged once per round). The custom layers and the margin head travel as the graph's JSON configuration.
 * Batches are made on the driver by the trainer's loader (same order, crops and mirrors as {@code amface train}).
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
        int h = c.backbone().inputHeight(), w = c.backbone().inputWidth();
        // Checkpoints fall on round ends: a round never straddles one.
        int perRound = (int) gcd(round, c.checkpointEvery > 0 ? c.checkpointEvery : round);
        SparkComputationGraph spark = new SparkComputationGraph(sc, graph, trainingMaster(c, perRound));
        steps.start(from);
        long step = from;
        double lastLoss = Double.NaN;
        resultBytes.set(0);
        long lo0 = Loopback.bytes();
        long t0 = System.nanoTime();
        try {
            while (step < steps.steps()) {
                if (steps.stopRequested()) return new Result(step, true, lastLoss);
                int n = (int) Math.min(perRound, steps.steps() - step);
                List<DataSet> batches = new ArrayList<>(n * workers);
                for (int i = 0; i < n * workers; i++) {
                    DataParallel.Batch b = steps.next();
                    batches.add(new DataSet(b.input(h, w), b.oneHot(steps.classes())));
                }
                graph.getConfiguration().setIterationCount((int) step); // the learning-rate schedule counts steps
                long r0 = System.nanoTime();
                var rdd = sc.parallelize(batches, workers);
                org.nd4j.linalg.api.ndarray.INDArray before = master == Master.SHARED ? graph.params().dup() : null;
                spark.fit(rdd);
                if (spark.getNetwork() != graph) graph.setParams(spark.getNetwork().params());
                if (before != null && graph.params().equals(before)) {
                    // Gradient sharing updates the driver's copy only through the updates it receives over Aeron; when
                    // none arrive the executors train and the driver's model silently stays as it was.
                    throw new amface.train.TrainingException("gradient sharing: a round of " + n + " steps left the driver's weights unchanged"
                        + " (no gradient updates reached the driver over Aeron: check --network/--controller and UDP between executors and driver)");
                }
                step += n;
                stepsDone += n;
                // Parameter averaging reports the workers' mean loss; gradient sharing reports none (0), so its loss
                // is the trained network's on the round's batches (one more forward pass on the executors).
                lastLoss = master == Master.AVERAGING ? spark.getScore() : spark.calculateScore(rdd, true);
                double ips = (double) n * workers * c.batch / ((System.nanoTime() - r0) / 1e9);
                steps.done(step, lastLoss, Double.NaN, ips);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(step, true, lastLoss);
        } finally {
            loopbackBytes += Loopback.bytes() - lo0;
            if (master == Master.SHARED) spark.getTrainingMaster().deleteTempFiles(sc);
        }
        return new Result(step, false, lastLoss);
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
