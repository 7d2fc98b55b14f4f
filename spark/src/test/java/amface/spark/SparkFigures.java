package amface.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;

import amface.align.DatasetAligner;
import amface.cli.ConsoleProgress;
import amface.cli.DemoCommand;
import amface.data.SyntheticFaces;
import amface.eval.VerificationResult;
import amface.train.Checkpoint;
import amface.train.TrainConfig;
import amface.train.TrainResult;
import amface.train.Trainer;

/**
 * The figures, run once outside the test suite ({@code bench/spark-figures}), on a standalone cluster on
 * 127.0.0.1 (a Master and two one-core Workers, as {@code StandaloneClusterTest} starts them):
 * <ol>
 *   <li>{@code align}: the first {@code IMAGES} images of LFW (sorted by person) with {@code amface align --threads 2}
 *       and then on the cluster, in the same run: images/s of each and whether the outputs are identical;</li>
 *   <li>{@code train}: the demo recipe ({@link DemoCommand#recipe}: its data and training for each of {@code SEEDS},
 *       as {@code amface demo --seed S}; {@code STEPS} steps of 64 images, i.e. two workers x 32) with each of
 *       {@code MASTERS} (parameter averaging, gradient sharing), each evaluated as the demo evaluates (flip mean,
 *       LFW protocol, 3,000 held-out pairs): accuracy, steps/s, bytes per step.</li>
 * </ol>
 * Each finished part appends a line to {@code OUT/results.txt} and is skipped when run again; an unfinished training
 * run resumes from its checkpoint. Every line carries the load average.
 *
 * <pre>
 * SparkFigures OUT [STEPS=1200] [IMAGES=300] [AVERAGING_ROUND=10] [SHARING_ROUND=50] [SHARING_LR_SCALE=1]
 *              [SEEDS=1] [MASTERS=AVERAGING,SHARED, or none]
 * </pre>
 */
public final class SparkFigures {
    private SparkFigures() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 1200;
        int images = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int averagingRound = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int sharingRound = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        // Gradient sharing adds the workers' updates (parameter averaging averages them): SHARE_LR_SCALE=0.5 halves
        // the demo's learning rate for it, to compare like with like.
        double sharingLrScale = args.length > 5 ? Double.parseDouble(args[5]) : 1;
        // More seeds put the cluster's accuracy beside the single-machine demo's spread over its seeds.
        List<Long> seeds = args.length > 6 ? Stream.of(args[6].split(",")).map(String::strip).map(Long::parseLong).toList() : List.of(1L);
        List<SparkDataParallel.Master> masters = args.length > 7
            ? Stream.of(args[7].split(",")).map(String::strip).filter(m -> !m.isEmpty() && !m.equals("none")).map(SparkDataParallel.Master::valueOf).toList()
            : List.of(SparkDataParallel.Master.values());
        Files.createDirectories(out);
        Path results = out.resolve("results.txt");
        Path scratch = Files.createTempDirectory(out, "cluster-");
        try (StandaloneCluster cluster = StandaloneCluster.start(scratch, 2, 3072);
             JavaSparkContext sc = new JavaSparkContext(cluster.conf("SparkFigures", 2, "1g"))) {
            sc.parallelize(List.of(1, 2), 2).map(x -> ExecutorThreads.forThisTask()).collect();
            if (images > 0 && !done(results, "align " + images + " ")) align(sc, out.resolve(images == 300 ? "align" : "align-" + images), images, results);
            for (long seed : seeds) {
                // Seed 1 keeps the names of the first figures, so their results.txt lines still count as done.
                String seedKey = seed == 1 ? "" : " seed " + seed, seedDir = seed == 1 ? "" : "-seed" + seed;
                SyntheticFaces.Written data = null;
                for (SparkDataParallel.Master m : masters) {
                    double lrScale = m == SparkDataParallel.Master.SHARED ? sharingLrScale : 1;
                    String key = "train " + m + " " + steps + " steps" + (lrScale != 1 ? " lr x" + lrScale : "") + seedKey;
                    if (done(results, key + " (")) continue;
                    if (data == null) data = demoData(out.resolve("data" + seedDir), seed);
                    train(sc, m, m == SparkDataParallel.Master.AVERAGING ? averagingRound : sharingRound, lrScale, data, seed,
                        out.resolve("run-" + m.name().toLowerCase(Locale.ROOT) + "-" + steps + (lrScale != 1 ? "-lr" + lrScale : "") + seedDir),
                        steps, key, results);
                }
            }
        }
        System.out.println(Files.readString(results));
    }

    private static void align(JavaSparkContext sc, Path dir, int count, Path results) throws IOException {
        Path lfw = Path.of("..", "shared", "data", "lfw", "lfw-deepfunneled").toAbsolutePath().normalize();
        Path raw = dir.resolve("raw");
        if (!Files.isDirectory(raw)) {
            Path partial = dir.resolve("raw.partial");
            int n = 0;
            List<Path> people;
            try (Stream<Path> s = Files.list(lfw)) {
                people = s.filter(Files::isDirectory).sorted().toList();
            }
            for (Path person : people) {
                if (n >= count) break;
                List<Path> files;
                try (Stream<Path> s = Files.list(person)) {
                    files = s.sorted().toList();
                }
                for (Path f : files) {
                    if (n++ >= count) break;
                    Files.createDirectories(partial.resolve(person.getFileName()));
                    Files.copy(f, partial.resolve(person.getFileName()).resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(partial, raw);
        }
        // Both from scratch, one after the other.
        deleteTree(dir.resolve("single"));
        deleteTree(dir.resolve("cluster"));
        String loadBefore = load();
        long t0 = System.nanoTime();
        int code = amface.cli.Main.run("align", "--input", raw.toString(), "--output", dir.resolve("single").toString(), "--threads", "2");
        double single = (System.nanoTime() - t0) / 1e9;
        if (code != 0) throw new IOException("amface align failed with exit code " + code);
        AlignSettings settings = AlignSettings.mtcnn(Path.of("..", "shared", "data", "mtcnn"));
        DatasetAligner.Summary s = DistributedAligner.builder(settings).input(raw.toUri().toString()).output(dir.resolve("cluster"))
            .progress(new ConsoleProgress()).build().run(sc);
        boolean same = OutputFiles.same(dir.resolve("single"), dir.resolve("cluster"));
        append(results, String.format(Locale.ROOT, "align %d LFW images: amface align --threads 2 %.1f s (%.2f images/s, whole command); "
                + "standalone cluster (2 workers x 1 core) %.1f s (%.2f images/s, the job); outputs %s; load before %s, after %s",
            s.images(), single, s.images() / single, s.seconds(), s.imagesPerSecond(), same ? "identical" : "DIFFERENT", loadBefore, load()));
    }

    private static SyntheticFaces.Written demoData(Path dir, long seed) throws IOException {
        deleteTree(dir); // deterministic (the seed): written afresh each run of the figures
        return SyntheticFaces.builder().seed(seed).difficulty(0.5).size(48, 56).build()
            .writeDataset(dir, 300, 12, 100, DemoCommand.pairCount(100), new ConsoleProgress());
    }

    private static void train(JavaSparkContext sc, SparkDataParallel.Master master, int round, double lrScale, SyntheticFaces.Written data, long seed,
                              Path run, long steps, String key, Path results) throws IOException {
        SparkDataParallel engine = new SparkDataParallel(sc, master).round(round);
        String loadBefore = load();
        long t0 = System.nanoTime();
        Trainer trainer;
        long from = 0;
        if (Files.isRegularFile(run.resolve(Trainer.CHECKPOINT))) {
            from = Checkpoint.readState(run.resolve(Trainer.CHECKPOINT)).step();
            trainer = Trainer.resume(run, new Properties(), null);
        } else {
            deleteTree(run);
            TrainConfig c = DemoCommand.recipe(data, run, steps, seed, "fp32");
            c.workers = 2;
            c.batch = 32; // two workers x 32 = the demo's 64 images per step
            c.verifyEvery = 0; // evaluated once at the end, as the demo reports it
            c.lr *= lrScale;
            c.lrFinal *= lrScale;
            trainer = Trainer.create(c);
        }
        TrainResult r = trainer.progress(new ConsoleProgress()).dataParallel(engine).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r.interrupted()) throw new IOException(run + ": training stopped at step " + r.step());
        VerificationResult v = DemoCommand.evaluate(data, r.model(), run);
        append(results, String.format(Locale.ROOT, "%s (rounds of %d, resumed at step %d): accuracy %.2f%% +- %.2f (flip mean), AUC %.4f; "
                + "%.3f steps/s (%.1f s for %d steps); %s; load before %s, after %s",
            key, round, from, 100 * v.accuracyMean(), 100 * v.accuracyStd(), v.auc(), (steps - from) / seconds, seconds, steps - from,
            engine.traffic().line(), loadBefore, load()));
    }

    private static boolean done(Path results, String key) throws IOException {
        return Files.isRegularFile(results) && Files.readAllLines(results).stream().anyMatch(l -> l.startsWith(key));
    }

    private static void append(Path results, String line) throws IOException {
        System.out.println(line);
        Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = new ArrayList<>(s.toList());
        }
        java.util.Collections.reverse(all);
        for (Path p : all) Files.delete(p);
    }
}
