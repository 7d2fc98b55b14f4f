package amface.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

import amface.align.AlignedFace;
import amface.align.DatasetAligner;
import amface.align.LandmarksCsv;
import amface.data.Progress;
import amface.image.ImageReader;
import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.io.OutputFolders;

/**
 * {@code amface align} on a Spark cluster: the same chips, output layout and landmarks CSV as
 * {@link DatasetAligner}, whose per-image step ({@link DatasetAligner#alignOne}) and resume rule
 * ({@link DatasetAligner#plan}) it runs. The input is read through Hadoop's file systems ({@link InputTree}); the
 * output is a folder every executor can write (a local path on one host, a shared mount on a cluster), owned by the
 * driver ({@link FolderLock}) for the whole job. Executors write chips atomically and return the landmarks rows;
 * the driver alone writes the CSV, after each batch, so a killed job loses at most one batch's rows (their chips are
 * checked and redone or kept by the next run). A task that dies (an executor lost, a Worker killed) is retried by
 * Spark on another executor: its chips are whole or absent, never half-written, and the temporaries a killed task
 * left are removed when the job ends.
 *
 * <pre>{@code
 * DatasetAligner.Summary s = DistributedAligner.builder(AlignSettings.mtcnn(weights))
 *     .input("hdfs://nn/raw").output(Path.of("/shared/aligned")).build().run(sc);
 * }</pre>
 */
public final class DistributedAligner {
    private final AlignSettings settings;
    private final String input;
    private final Path output;
    private final Path landmarks;
    private final int partitions;
    private final int batch;
    private final Progress progress;

    private DistributedAligner(Builder b) {
        this.settings = b.settings;
        this.input = b.input;
        this.output = b.output.toAbsolutePath().normalize();
        this.landmarks = (b.landmarks != null ? b.landmarks : b.output.resolve("landmarks.csv")).toAbsolutePath().normalize();
        this.partitions = b.partitions;
        this.batch = b.batch;
        this.progress = b.progress;
    }

    public static Builder builder(AlignSettings settings) {
        return new Builder(settings);
    }

    public static final class Builder {
        private final AlignSettings settings;
        private String input;
        private Path output;
        private Path landmarks;
        private int partitions;
        private int batch = 2048;
        private Progress progress = Progress.NONE;

        private Builder(AlignSettings settings) {
            this.settings = settings;
        }

        /** The raw dataset root, a path or any URI Hadoop understands. */
        public Builder input(String root) { this.input = root; return this; }

        /** The aligned output root, a folder every executor can write. */
        public Builder output(Path root) { this.output = root; return this; }

        /** The landmarks CSV (default {@code OUTPUT/landmarks.csv}). */
        public Builder landmarks(Path csv) { this.landmarks = csv; return this; }

        /** Tasks per batch (default: the context's default parallelism). */
        public Builder partitions(int n) {
            if (n < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + n);
            this.partitions = n;
            return this;
        }

        /** Images per Spark job: the landmarks CSV is written after each, so a kill loses at most one batch's rows. */
        public Builder batch(int n) {
            if (n < 1) throw new IllegalArgumentException("batch must be at least 1, got " + n);
            this.batch = n;
            return this;
        }

        public Builder progress(Progress p) { this.progress = p; return this; }

        public DistributedAligner build() {
            if (input == null || output == null) throw new IllegalStateException("input and output are required");
            return new DistributedAligner(this);
        }
    }

    public DatasetAligner.Summary run(JavaSparkContext sc) throws IOException {
        InputTree tree = InputTree.of(input, sc.hadoopConfiguration());
        Path local = tree.localFolder();
        if (local != null) OutputFolders.requireApart(local, output, "--input", "--output");
        OutputFolders.requireFolderOrAbsent(output, "--output");
        try (FolderLock lock = FolderLock.acquire(output, "amface spark align " + input + " -> " + output)) {
            return runLocked(sc, tree);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private DatasetAligner.Summary runLocked(JavaSparkContext sc, InputTree tree) throws IOException {
        long start = System.nanoTime();
        List<String> images = new ArrayList<>(tree.list());
        Path local = tree.localFolder();
        if (local != null && output.startsWith(local.toAbsolutePath().normalize())) {
            // An output inside the input tree: its chips are no input (as in amface align).
            Path inside = local.toAbsolutePath().normalize().relativize(output);
            String prefix = inside.toString().replace('\\', '/') + "/";
            images.removeIf(p -> p.startsWith(prefix));
        }
        long temporaries = AtomicFile.removeTemporaries(output);
        Map<String, String> done = new HashMap<>();
        try (LandmarksCsv csv = LandmarksCsv.open(landmarks, done)) {
            DatasetAligner.Plan plan = DatasetAligner.plan(images, done, rel -> output.resolve(DatasetAligner.chipName(rel)));
            List<String> problems = new ArrayList<>(plan.problems());
            long aligned = plan.aligned(), fallback = plan.fallback(), unreadable = plan.unreadable();
            List<String> todo = plan.todo();
            int tasks = partitions > 0 ? partitions : sc.defaultParallelism();
            progress.start("spark align " + settings.size() + " mtcnn on " + sc.master()
                + (plan.resumed() > 0 ? " (" + plan.resumed() + " done earlier)" : "")
                + (plan.redone().isEmpty() ? "" : " (" + plan.redone().size() + " listed as done but missing or damaged: redone)"), todo.size());
            long finished = 0;
            for (int from = 0; from < todo.size(); from += batch) {
                List<String> part = todo.subList(from, Math.min(todo.size(), from + batch));
                List<DatasetAligner.Outcome> outcomes;
                try {
                    outcomes = sc.parallelize(new ArrayList<>(part), Math.min(tasks, part.size()))
                        .mapPartitions(new AlignPartition(settings, tree, output.toString())).collect();
                } catch (Exception e) {
                    csv.compact(); // the batches done so far stay done
                    throw JobFailure.rethrow("spark align", e);
                }
                for (DatasetAligner.Outcome o : outcomes) {
                    if (o.unreadable()) {
                        unreadable++;
                        problems.add(o.problem());
                    } else if (o.status() == AlignedFace.Status.ALIGNED) {
                        aligned++;
                    } else {
                        fallback++;
                    }
                    csv.append(o.row());
                }
                finished += outcomes.size();
                progress.update(finished, String.format(Locale.ROOT, "%d aligned, %d fallback, %d unreadable", aligned, fallback, unreadable));
            }
            csv.compact();
            // A task lost with its executor (a Worker killed mid-write) can leave a temporary beside a chip that its
            // retry wrote whole; every task of the job has ended, so what is left is no one's.
            temporaries += AtomicFile.removeTemporaries(output);
            double seconds = (System.nanoTime() - start) / 1e9;
            DatasetAligner.Summary s = new DatasetAligner.Summary(images.size(), plan.resumed(), aligned, fallback, unreadable, seconds,
                List.copyOf(problems), landmarks, 0, plan.redone().size(), temporaries);
            progress.finish(s.line());
            return s;
        }
    }

    /** One task: this thread's aligner over a partition's images, chips written where the driver's output is. */
    private record AlignPartition(AlignSettings settings, InputTree tree, String output)
            implements FlatMapFunction<Iterator<String>, DatasetAligner.Outcome> {
        @Override
        public Iterator<DatasetAligner.Outcome> call(Iterator<String> images) throws IOException {
            ExecutorThreads.forThisTask();
            var aligner = settings.alignerForThisThread();
            Path out = Path.of(output);
            if (!Files.isDirectory(out)) throw new IOException(output + ": the output folder is not visible on this executor (it must be a shared folder)");
            List<DatasetAligner.Outcome> outcomes = new ArrayList<>();
            while (images.hasNext()) {
                String rel = images.next();
                String source = tree.locate(rel);
                outcomes.add(DatasetAligner.alignOne(aligner, rel, source, () -> ImageReader.read(tree.read(rel), source),
                    out.resolve(DatasetAligner.chipName(rel))));
            }
            return Collections.unmodifiableList(outcomes).iterator();
        }
    }
}
