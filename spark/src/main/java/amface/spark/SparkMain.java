package amface.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import amface.align.DatasetAligner;
import amface.cli.ConsoleProgress;
import amface.eval.Embeddings;
import amface.eval.FlipMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark jobs' command line, the main class for {@code spark-submit --class amface.spark.SparkMain} (and for
 * {@code ./amface spark}, which runs it on a local master). The master and executor settings come from
 * {@code spark-submit}; without one, {@code local[*]}.
 */
@Command(name = "amface-spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Align.class, SparkMain.Embed.class, SparkMain.Train.class},
    description = "amface on Apache Spark: align and embed datasets, train data-parallel.")
public final class SparkMain implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: bad input is one line on stderr and exit 2. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IOException || e instanceof java.io.UncheckedIOException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof amface.train.TrainingException) {
                commandLine.getErr().println("amface spark " + commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a job: align, embed or train");
    }

    static JavaSparkContext context(String name) {
        SparkConf conf = new SparkConf().setAppName(name);
        if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        return new JavaSparkContext(conf);
    }

    @Command(name = "align", mixinStandardHelpOptions = true,
        description = "amface align on the cluster: INPUT (a path or any Hadoop URI) -> OUTPUT (a folder every executor can write), same chips and landmarks CSV; resumable.")
    static final class Align implements Callable<Integer> {
        @Option(names = "--input", required = true, paramLabel = "URI") String input;
        @Option(names = "--output", required = true, paramLabel = "DIR") Path output;
        @Option(names = "--landmarks", paramLabel = "CSV") Path landmarks;
        @Option(names = "--weights", required = true, paramLabel = "DIR", description = "MTCNN det1.npy, det2.npy, det3.npy, in a folder every executor can read.") Path weights;
        @Option(names = "--size", defaultValue = "112x96") String size;
        @Option(names = "--min-size", defaultValue = "20") double minSize;
        @Option(names = "--factor", defaultValue = "0.709") double factor;
        @Option(names = "--thresholds", split = ",", defaultValue = "0.6,0.7,0.7") double[] thresholds;
        @Option(names = "--partitions", description = "Tasks per batch (default: the cluster's default parallelism).") Integer partitions;
        @Option(names = "--batch", defaultValue = "2048", description = "Images per Spark job; the landmarks CSV is written after each (default ${DEFAULT-VALUE}).") int batch;

        @Override
        public Integer call() throws IOException {
            if (thresholds.length != 3) throw new IllegalArgumentException("--thresholds needs three values P,R,O");
            AlignSettings s = new AlignSettings(weights.toAbsolutePath().normalize().toString(), minSize, factor, thresholds, size);
            s.newAligner(); // bad weights fail here, on the driver, naming the folder
            try (JavaSparkContext sc = context("amface align " + input)) {
                DistributedAligner.Builder b = DistributedAligner.builder(s).input(input).output(output).landmarks(landmarks).batch(batch)
                    .progress(new ConsoleProgress());
                if (partitions != null) b.partitions(partitions);
                DatasetAligner.Summary sum = b.build().run(sc);
                if (!sum.problems().isEmpty()) {
                    System.err.println("unreadable images (" + sum.problems().size() + "):");
                    for (String p : sum.problems()) System.err.println("  " + p);
                }
                System.out.println(sum.line());
                System.out.println("landmarks: " + sum.landmarks());
            }
            return 0;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
        description = "amface embed --data on the cluster: embeddings of every image of an aligned dataset as CSV and/or Parquet.")
    static final class Embed implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.zip, at a path every executor can read.") Path model;
        @Option(names = "--data", required = true, paramLabel = "URI", description = "Aligned dataset root ROOT/Name/file (a path or any Hadoop URI).") String data;
        @Option(names = "--out", paramLabel = "FILE.csv") Path csv;
        @Option(names = "--parquet", paramLabel = "DIR") Path parquet;
        @Option(names = "--flip", paramLabel = "MODE", description = "none, sum, mean or concat (default: the model's).") String flip;
        @Option(names = "--batch", defaultValue = "64") int batch;
        @Option(names = "--partitions") Integer partitions;

        @Override
        public Integer call() throws IOException {
            if (csv == null && parquet == null) throw new IllegalArgumentException("give --out FILE.csv, --parquet DIR or both");
            try (JavaSparkContext sc = context("amface embed " + data)) {
                DistributedEmbedder.Builder b = DistributedEmbedder.builder(model.toAbsolutePath().normalize().toString()).input(data)
                    .csv(csv).parquet(parquet).batch(batch);
                if (flip != null) b.flip(FlipMode.parse(flip));
                if (partitions != null) b.partitions(partitions);
                Embeddings e = b.build().run(sc);
                System.out.println("embedded " + e.size() + " images (" + e.dimension() + " values each)"
                    + (csv != null ? "; wrote " + csv : "") + (parquet != null ? "; wrote " + parquet : ""));
            }
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
        description = "amface train on the cluster with DL4J's training masters: the config's run (checkpoints, metrics, model.zip) on the driver, the steps on the executors.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "An experiment config (configs/*.properties); default: the built-in recipe.") Path config;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A config setting (repeatable), e.g. --set data=/shared/casia --set out=runs/s1.") java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
        @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this folder from its checkpoint (after a killed driver).") Path resume;
        @Option(names = "--master", defaultValue = "shared", description = "shared (gradient sharing, default) or averaging (parameter averaging).") String master;
        @Option(names = "--round", defaultValue = "10", description = "Steps per Spark job (and per parameter average) (default ${DEFAULT-VALUE}).") int round;
        @Option(names = "--workers", description = "Data-parallel workers (default: the task slots, cores / spark.task.cpus); a step trains workers x batch images.") Integer workers;
        @Option(names = "--network", paramLabel = "MASK", defaultValue = "127.0.0.0/8", description = "Gradient sharing: the network the executors reach each other in (default ${DEFAULT-VALUE}).") String network;
        @Option(names = "--controller", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Gradient sharing: the driver's address on that network.") String controller;
        @Option(names = "--port", defaultValue = "0", description = "Gradient sharing: the driver's UDP port (default: a free one; each executor picks its own).") int port;
        @Option(names = "--data-uri", paramLabel = "URI", description = "Where the executors read the training images: the config's data tree on a Hadoop file system (default: the data folder itself, which every executor must see).") String dataUri;

        @Override
        public Integer call() {
            SparkDataParallel.Master m = switch (master) {
                case "shared" -> SparkDataParallel.Master.SHARED;
                case "averaging" -> SparkDataParallel.Master.AVERAGING;
                default -> throw new IllegalArgumentException("--master must be shared or averaging, got '" + master + "'");
            };
            try (JavaSparkContext sc = context("amface train")) {
                java.util.Properties p = new java.util.Properties();
                p.putAll(set);
                // One worker per task slot: the cluster's cores over the cores each task takes.
                int slots = Math.max(1, sc.defaultParallelism() / Integer.parseInt(sc.getConf().get("spark.task.cpus", "1")));
                p.setProperty("workers", String.valueOf(workers != null ? workers : slots));
                amface.train.Trainer trainer;
                if (resume != null) {
                    trainer = amface.train.Trainer.resume(resume, p, null);
                } else {
                    amface.train.TrainConfig c = (config != null ? amface.train.TrainConfig.load(config) : amface.train.TrainConfig.defaults()).apply(p, "--set");
                    trainer = amface.train.Trainer.create(c);
                }
                SparkDataParallel engine = new SparkDataParallel(sc, m).round(round).network(network, controller, port);
                if (dataUri != null) engine.data(dataUri);
                amface.train.TrainResult r = trainer.progress(new ConsoleProgress()).dataParallel(engine).run();
                System.out.println("run " + r.runDir() + ": step " + r.step() + ", loss " + r.lastLoss() + (r.interrupted() ? " (stopped: resume with --resume)" : ""));
                System.out.println(engine.traffic().line());
            }
            return 0;
        }
    }
}
