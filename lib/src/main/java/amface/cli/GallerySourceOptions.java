package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import amface.align.MtcnnDetector;
import amface.data.IdentityDataset;
import amface.eval.EmbeddingExtractor;
import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FlipMode;
import amface.gallery.EmbeddingChunks;
import amface.gallery.Gallery;
import amface.gallery.GalleryFolder;
import amface.gallery.HnswIndex;
import amface.nn.FaceModel;
import amface.pipeline.FaceEmbedding;
import amface.pipeline.FacePipeline;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the faces of {@code amface index build} and {@code index add} come from (a picocli mixin): an aligned
 * dataset ({@code DIR/identity/image.jpg}, embedded as {@code amface embed} does), raw photos in the same layout
 * ({@code --photos}: the one photo -> face -> embedding path of {@code verify}), or an embeddings CSV; and how the
 * gallery is made of them (pooling, engine, graph parameters).
 */
final class GallerySourceOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Faces as DIR/IDENTITY/IMAGE: aligned images (as amface align writes), or raw photos with --photos.")
    Path data;

    @Option(names = "--photos", description = "The images under --data are raw photos: MTCNN, largest face, aligned to the model's input (as amface verify); photos without a face are listed and left out.")
    boolean photos;

    @Option(names = "--embeddings", paramLabel = "CSV", description = "An embeddings CSV of amface embed (paths IDENTITY/IMAGE) made with --model and --flip, instead of --data.")
    Path embeddings;

    @Option(names = "--pool", description = "One template per identity: the mean of its images' normalised embeddings (IJB-B/C template pooling).")
    boolean pool;

    @Mixin
    FlipOption flip;

    @Mixin
    BatchOption batch = new BatchOption(64);

    @Mixin
    FacePipelineOptions photoOptions;

    /** The flip mode the gallery is embedded with. */
    FlipMode flipMode(FaceModel m) {
        return flip.mode(m);
    }

    /** The input given, for messages and folder checks. */
    Path input() {
        if ((data == null) == (embeddings == null)) throw new UserError("give the faces with either --data DIR or --embeddings CSV");
        if (photos && data == null) throw new UserError("--photos goes with --data DIR");
        return data != null ? data : embeddings;
    }

    /**
     * The gallery of the given faces, embedded by {@code m} (its fingerprint recorded); images are embedded in chunks
     * kept in the index folder {@code index} until the index is written, so a rerun after a kill continues.
     */
    Gallery gallery(FaceModel m, Path index) {
        input();
        batch.size();
        FlipMode mode = flipMode(m);
        Embeddings e;
        if (embeddings != null) {
            e = EmbeddingsCsv.read(embeddings);
            if (e.dimension() != mode.dimension(m.embeddingSize())) {
                throw new UserError(embeddings + ": embeddings of " + e.dimension() + " values, but the model gives " + mode.dimension(m.embeddingSize())
                    + " with flip " + mode.cliName() + ": the CSV was made by another model or flip mode");
            }
            System.out.println("Read " + e.size() + " embeddings from " + embeddings + " (made with this model and flip " + mode.cliName() + ", as you state)");
        } else {
            e = photos ? embedPhotos(m, mode, index) : embedAligned(m, mode, index);
        }
        return Gallery.fromEmbeddings(e, m.fingerprint(), mode.cliName(), pool);
    }

    private List<String> images() {
        List<String> images = new ArrayList<>();
        try {
            for (IdentityDataset.Entry en : IdentityDataset.scan(data).entries()) images.add(en.path());
        } catch (amface.data.DatasetException ex) {
            throw new UserError(ex.getMessage(), ex);
        }
        if (images.isEmpty()) throw new UserError("--data " + data + ": no images (expected DIR/IDENTITY/IMAGE)");
        return images;
    }

    /** Aligned images through the dataset extractor (as amface embed), {@link EmbeddingChunks#DEFAULT_CHUNK} at a time. */
    private Embeddings embedAligned(FaceModel m, FlipMode mode, Path index) {
        List<String> images = images();
        System.out.println("Embedding " + images.size() + " aligned images with flip " + mode.cliName() + ", pixels " + m.normalisation().describe());
        EmbeddingExtractor extractor = EmbeddingExtractor.of(m).withFlip(mode).withBatchSize(batch.size());
        try {
            EmbeddingExtractor.requirePresent(data, images);
        } catch (IOException ex) {
            throw new UserError(ex.getMessage(), ex);
        }
        return chunked(m, mode, index, images, EmbeddingChunks.DEFAULT_CHUNK, (part, leftOut) -> extractor.extract(data, part));
    }

    /** Raw photos through the photo pipeline (as amface verify), a smaller chunk at a time (MTCNN is slower). */
    private Embeddings embedPhotos(FaceModel m, FlipMode mode, Path index) {
        List<String> images = images();
        Map<String, String> unusable = new LinkedHashMap<>();
        Embeddings e;
        try (MtcnnDetector detector = photoOptions.detector()) {
            FacePipeline pipeline = photoOptions.pipeline(m, mode, detector);
            e = chunked(m, mode, index, images, PHOTO_CHUNK, (part, leftOut) -> {
                Map<Path, String> missed = new LinkedHashMap<>();
                Map<Path, FaceEmbedding> faces = pipeline.embedEach(part.stream().map(data::resolve).toList(), amface.data.Progress.NONE, missed);
                Embeddings.Builder b = Embeddings.builder(mode.dimension(m.embeddingSize()));
                for (String rel : part) {
                    FaceEmbedding f = faces.get(data.resolve(rel));
                    if (f != null) b.add(rel, f.embedding());
                    else leftOut.put(rel, missed.getOrDefault(data.resolve(rel), rel + ": no usable face"));
                }
                return b.build();
            }, unusable);
        }
        unusable.values().forEach(reason -> System.out.println("left out " + reason));
        if (e.size() == 0) throw new UserError("--data " + data + ": none of the " + images.size() + " photos has a usable face; the gallery would be empty");
        return e;
    }

    /** The detection settings a photo's face depends on (part of the resume key). */
    private String photoDetection() {
        MtcnnOptions d = photoOptions.mtcnn;
        return "detect size " + photoOptions.detectSize + ", min size " + d.minSize + ", factor " + d.factor + ", thresholds " + java.util.Arrays.toString(d.thresholds)
            + ", weights " + d.weights;
    }

    /** Photos per resumable chunk. */
    static final int PHOTO_CHUNK = 64;

    private Embeddings chunked(FaceModel m, FlipMode mode, Path index, List<String> images, int chunk, EmbeddingChunks.ChunkEmbedder embedder) {
        return chunked(m, mode, index, images, chunk, embedder, new LinkedHashMap<>());
    }

    private Embeddings chunked(FaceModel m, FlipMode mode, Path index, List<String> images, int chunk, EmbeddingChunks.ChunkEmbedder embedder, Map<String, String> leftOut) {
        try {
            EmbeddingChunks chunks = EmbeddingChunks.forIndex(index, EmbeddingChunks.key(m.fingerprint(), mode.cliName() + (photos ? ", photos, " + photoDetection() : ", aligned"), m.normalisation().describe(), data, images))
                .withFiles(data).withChunkSize(chunk).withProgress(new ConsoleProgress()).withLog(System.out::println);
            return chunks.embed(images, mode.dimension(m.embeddingSize()), embedder, leftOut);
        } catch (IOException ex) {
            throw new UserError(ex.getMessage(), ex);
        }
    }

    /** The engine option of build (and the graph's parameters). */
    static final class Engine {
        @Option(names = "--engine", defaultValue = "auto", paramLabel = "E",
            description = "Search engine to build for: exact, hnsw (Lucene HNSW graph on disk), or auto (hnsw from " + GalleryFolder.HNSW_FROM + " entries; default).")
        String engine;

        @Mixin
        Graph graph;

        GalleryFolder.Engine engine() { return GalleryFolder.Engine.parse(engine); }

        HnswIndex.Params params() { return graph.params(); }
    }

    /** The HNSW graph's parameters (build, add, bench). */
    static final class Graph {
        @Option(names = "--hnsw-m", defaultValue = "16", paramLabel = "M", description = "HNSW neighbours per node (default: ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "--hnsw-beam", defaultValue = "100", paramLabel = "B", description = "HNSW candidates per insertion (ef_construction; default: ${DEFAULT-VALUE}).")
        int beam;

        HnswIndex.Params params() { return new HnswIndex.Params(m, beam); }
    }
}
