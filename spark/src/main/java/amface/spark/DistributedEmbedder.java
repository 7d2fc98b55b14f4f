package amface.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import amface.eval.EmbeddingExtractor;
import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FlipMode;
import amface.image.ImageContent;
import amface.image.ImageReader;
import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import amface.nn.FaceModel;

/**
 * {@code amface embed --data} on a Spark cluster: the embeddings of every image of an aligned dataset
 * ({@code ROOT/Name/file}, on any Hadoop file system) for one model, written as amface's CSV
 * ({@link EmbeddingsCsv}, rows in {@code amface embed}'s order) and, optionally, as Parquet ({@code path: string,
 * embedding: array<float>}). Each executor thread loads the model once and embeds its partition with the library's
 * {@link EmbeddingExtractor} (the model's flip mode unless one is given). Nothing is written before every image is
 * embedded: a bad image, or a model an executor cannot read, fails the job naming it, with no partial output.
 *
 * <pre>{@code
 * Embeddings e = DistributedEmbedder.builder("/shared/model.zip").input("hdfs://nn/aligned")
 *     .csv(Path.of("emb.csv")).parquet(Path.of("/shared/emb.parquet")).build().run(sc);
 * }</pre>
 */
public final class DistributedEmbedder {
    private final String model;
    private final String input;
    private final Path csv;
    private final Path parquet;
    private final FlipMode flip;
    private final int batch;
    private final int partitions;

    private DistributedEmbedder(Builder b) {
        this.model = b.model;
        this.input = b.input;
        this.csv = b.csv;
        this.parquet = b.parquet;
        this.flip = b.flip;
        this.batch = b.batch;
        this.partitions = b.partitions;
    }

    /** A model file every executor can read (a shared path, or one shipped with {@code --files}). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    public static final class Builder {
        private final String model;
        private String input;
        private Path csv;
        private Path parquet;
        private FlipMode flip;
        private int batch = 64;
        private int partitions;

        private Builder(String model) {
            this.model = model;
        }

        /** The aligned dataset root ({@code ROOT/Name/file}), a path or any URI Hadoop understands. */
        public Builder input(String root) { this.input = root; return this; }

        /** The embeddings CSV (written atomically, owned by this job while it runs). */
        public Builder csv(Path file) { this.csv = file; return this; }

        /** A Parquet folder (written beside under a temporary name, then renamed into place). */
        public Builder parquet(Path folder) { this.parquet = folder; return this; }

        /** Test-time flip (default: the model's recommended mode). */
        public Builder flip(FlipMode f) { this.flip = f; return this; }

        /** Images per batch within a task. */
        public Builder batch(int n) {
            if (n < 1) throw new IllegalArgumentException("batch must be at least 1, got " + n);
            this.batch = n;
            return this;
        }

        /** Tasks (default: the context's default parallelism). */
        public Builder partitions(int n) {
            if (n < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + n);
            this.partitions = n;
            return this;
        }

        public DistributedEmbedder build() {
            if (input == null || (csv == null && parquet == null)) throw new IllegalStateException("input and a csv or parquet output are required");
            return new DistributedEmbedder(this);
        }
    }

    public Embeddings run(JavaSparkContext sc) throws IOException {
        if (csv != null) OutputFolders.requireFileOrAbsent(csv, "--csv");
        if (parquet != null) OutputFolders.requireFolderOrAbsent(parquet, "--parquet");
        try (FolderLock csvLock = csv == null ? null : FolderLock.acquireFile(csv, "amface spark embed --csv " + csv);
             FolderLock parquetLock = parquet == null ? null : FolderLock.acquireFile(parquet, "amface spark embed --parquet " + parquet)) {
            if (csv != null) AtomicFile.removeTemporariesOf(csv);
            if (parquet != null) AtomicFile.removeTemporariesOf(parquet);
            return runLocked(sc);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Embeddings runLocked(JavaSparkContext sc) throws IOException {
        // The driver reads the model first: a bad file fails here, once, naming it.
        FaceModel m = FaceModel.load(Path.of(model));
        FlipMode mode = flip != null ? flip : FlipMode.parse(m.metadata().flip());
        InputTree tree = InputTree.of(input, sc.hadoopConfiguration());
        List<String> images = identityImages(tree.list());
        if (images.isEmpty()) throw new IOException(input + ": no identity folders with images (expected ROOT/Name/image.jpg)");
        int tasks = Math.min(images.size(), partitions > 0 ? partitions : sc.defaultParallelism());
        List<Embedded> rows;
        try {
            rows = sc.parallelize(images, tasks).mapPartitions(new EmbedPartition(model, mode, batch, tree)).collect();
        } catch (Exception e) {
            throw JobFailure.rethrow("spark embed", e);
        }
        Map<String, float[]> byPath = new HashMap<>();
        for (Embedded r : rows) byPath.put(r.path(), r.embedding());
        Embeddings.Builder b = Embeddings.builder(mode.dimension(m.embeddingSize()));
        for (String p : images) b.add(p, byPath.get(p));
        Embeddings e = b.build();
        if (csv != null) EmbeddingsCsv.write(csv, e);
        if (parquet != null) writeParquet(sc, rows, parquet);
        return e;
    }

    /** The images of the dataset as {@code amface embed} lists them: Name/file, by name, then by file. */
    static List<String> identityImages(List<String> listed) {
        List<String> out = new ArrayList<>();
        for (String p : listed) if (p.indexOf('/') > 0 && p.indexOf('/') == p.lastIndexOf('/')) out.add(p);
        out.sort(Comparator.comparing((String p) -> p.substring(0, p.indexOf('/'))).thenComparing(p -> p.substring(p.indexOf('/') + 1)));
        return out;
    }

    private static void writeParquet(JavaSparkContext sc, List<Embedded> rows, Path folder) throws IOException {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        StructType schema = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> data = new ArrayList<>(rows.size());
        for (Embedded r : rows) {
            Float[] boxed = new Float[r.embedding().length];
            for (int i = 0; i < boxed.length; i++) boxed[i] = r.embedding()[i];
            data.add(RowFactory.create(r.path(), boxed));
        }
        Dataset<Row> df = spark.createDataFrame(data, schema).coalesce(1);
        Path abs = folder.toAbsolutePath().normalize();
        Path tmp = abs.resolveSibling(AtomicFile.TEMPORARY_PREFIX + "parquet-" + abs.getFileName());
        Path old = abs.resolveSibling(AtomicFile.TEMPORARY_PREFIX + "old-" + abs.getFileName());
        deleteTree(tmp); // what a killed run left (the job owns the name: FolderLock)
        deleteTree(old);
        df.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toUri().toString());
        // The finished folder replaces an older one by renames only; a kill in between leaves the old one or the new one.
        if (Files.exists(abs)) Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** One image's embedding, as a task returns it. */
    record Embedded(String path, float[] embedding) implements Serializable { }

    // One model per executor thread: a network's forward pass is not shared between threads.
    private static final ThreadLocal<Map<String, FaceModel>> MODELS = ThreadLocal.withInitial(HashMap::new);

    private record EmbedPartition(String model, FlipMode flip, int batch, InputTree tree) implements FlatMapFunction<Iterator<String>, Embedded> {
        @Override
        public Iterator<Embedded> call(Iterator<String> it) throws IOException {
            ExecutorThreads.forThisTask();
            List<String> names = new ArrayList<>();
            it.forEachRemaining(names::add);
            if (names.isEmpty()) return List.<Embedded>of().iterator();
            FaceModel m;
            try {
                m = MODELS.get().computeIfAbsent(model, f -> FaceModel.load(Path.of(f)));
            } catch (RuntimeException e) {
                throw new IOException("model " + model + " cannot be read on this executor: " + e.getMessage(), e);
            }
            Embeddings e = EmbeddingExtractor.of(m).withFlip(flip).withBatchSize(batch)
                .extract(names, rel -> ImageContent.requireInformative(ImageReader.read(tree.read(rel), tree.locate(rel)), tree.locate(rel)));
            List<Embedded> out = new ArrayList<>(names.size());
            for (String n : names) out.add(new Embedded(n, e.get(n)));
            return out.iterator();
        }
    }
}
