package amface.gallery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import amface.data.Progress;
import amface.eval.Embeddings;
import amface.io.AtomicFile;
import amface.io.KeyedChunkFolder;
import amface.io.Sha256;

/**
 * Embedding that survives a kill: the images are embedded in chunks of {@link #withChunkSize} and each finished
 * chunk is written (atomically) into a folder, so that a rerun of the same job continues after the finished chunks
 * instead of starting over. The folder is tied to a key, the {@link #key} of the model's fingerprint, flip mode,
 * normalisation and the source listing: a rerun with another model or other images finds another key and starts
 * over (the stale chunks are deleted). Each chunk also records its images' sizes and modification times
 * ({@link #withFiles}): a chunk whose images changed, or that cannot be read (damaged), is embedded again. The caller owns the folder (holds the index folder's lock) and deletes it with
 * {@link #delete} once the result is safely stored.
 * <pre>{@code
 * EmbeddingChunks chunks = EmbeddingChunks.forIndex(index, EmbeddingChunks.key(fp, "mean", norm, root, images)).withFiles(root);
 * Embeddings e = chunks.withProgress(progress).embed(images, dimension, (chunk, leftOut) -> extractor.extract(root, chunk));
 * GalleryFolder.writer(index).write(Gallery.fromEmbeddings(e, fp, "mean", false)); chunks.delete();
 * }</pre>
 */
public final class EmbeddingChunks {
    /** Images per chunk unless set: about a second and a half of embedding for the small nets, a few for large ones. */
    public static final int DEFAULT_CHUNK = 1024;
    private static final int MAGIC = 0x616d6331;   // "amc1"
    /** The chunk folder inside a gallery index folder (what {@code amface index build} and {@code add} resume from). */
    public static final String INDEX_FOLDER = "embedding-chunks";

    /** Embeds one chunk: the embeddings of the images it could embed; the others go into {@code leftOut} with a reason. */
    @FunctionalInterface
    public interface ChunkEmbedder {
        Embeddings embed(List<String> images, Map<String, String> leftOut) throws IOException;
    }

    private final Path folder;
    private final String key;
    private int chunkSize = DEFAULT_CHUNK;
    private Progress progress = Progress.NONE;
    private Consumer<String> log = s -> { };
    private int resumedImages;
    private Path root;

    private EmbeddingChunks(Path folder, String key) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.key = Objects.requireNonNull(key, "key");
    }

    /** Chunks of the job {@code key} kept in the index folder {@code index} ({@link #INDEX_FOLDER}). */
    public static EmbeddingChunks forIndex(Path index, String key) {
        return in(index.resolve(INDEX_FOLDER), key);
    }

    /** Chunks of the job {@code key} kept in {@code folder} (created when the first chunk is written). */
    public static EmbeddingChunks in(Path folder, String key) {
        return new EmbeddingChunks(folder, key);
    }

    public EmbeddingChunks withChunkSize(int images) {
        if (images < 1) throw new IllegalArgumentException("chunk size must be at least 1, got " + images);
        this.chunkSize = images;
        return this;
    }

    /** Progress over all images (resumed chunks count as done at once). */
    public EmbeddingChunks withProgress(Progress p) {
        this.progress = Objects.requireNonNull(p, "progress");
        return this;
    }

    /** Where one-line notes go (resuming, starting over, a damaged chunk). */
    public EmbeddingChunks withLog(Consumer<String> log) {
        this.log = Objects.requireNonNull(log, "log");
        return this;
    }

    /** Images the last {@link #embed} took from chunks of an earlier run. */
    public int resumedImages() { return resumedImages; }

    /**
     * The key of an embedding job: the model (fingerprint, flip mode and whatever else the embedding depends on, in
     * {@code how}; the pixel normalisation) and the images (root and paths, in order). The images' content is checked
     * per chunk ({@link #withFiles}), so that a changed image costs its chunk only.
     */
    public static String key(String fingerprint, String how, String normalisation, Path root, List<String> images) {
        String listing = String.join("\n", images);
        return "model " + fingerprint + "\nhow " + how + "\nnormalisation " + normalisation + "\nroot " + root.toAbsolutePath().normalize() + "\nimages "
            + images.size() + " " + Sha256.hex(listing.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    /** The images are files under {@code root}: a chunk is reused only while its images' sizes and modification times are unchanged. */
    public EmbeddingChunks withFiles(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        return this;
    }

    /** What a chunk's images are now: their paths, sizes and modification times (paths only without {@link #withFiles}). */
    private String signature(List<String> part) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String rel : part) {
            s.append(rel);
            Path p = root == null ? null : root.resolve(rel);
            if (p != null && Files.isRegularFile(p)) s.append('\t').append(Files.size(p)).append('\t').append(Files.getLastModifiedTime(p).toMillis());
            s.append('\n');
        }
        return Sha256.hex(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The embeddings of {@code images} (in their order, those the embedder left out missing, their reasons in
     * {@code leftOut}), taking finished chunks of an earlier run of the same key and writing each new chunk as it
     * finishes.
     */
    public Embeddings embed(List<String> images, int dimension, ChunkEmbedder embedder, Map<String, String> leftOut) throws IOException {
        String fullKey = key + "chunk " + chunkSize + "\ndimension " + dimension + "\n";
        prepare(fullKey);
        Embeddings.Builder out = Embeddings.builder(dimension);
        int chunks = (images.size() + chunkSize - 1) / chunkSize;
        resumedImages = 0;
        progress.start("embed", images.size());
        long t0 = System.nanoTime();
        int resumedChunks = 0;
        for (int c = 0; c < chunks; c++) {
            List<String> part = images.subList(c * chunkSize, Math.min(images.size(), (c + 1) * chunkSize));
            Path file = folder.resolve(String.format(Locale.ROOT, "chunk-%06d.bin", c));
            String signature = signature(part);
            Chunk done = read(file, part, dimension, signature);
            if (done != null) {
                resumedChunks++;
                resumedImages += part.size();
                progress.alreadyDone(part.size());
            } else {
                Map<String, String> missed = new LinkedHashMap<>();
                Embeddings e = embedder.embed(part, missed);
                done = Chunk.of(part, e, missed);
                write(file, done, dimension, signature);
            }
            for (int i = 0; i < part.size(); i++) if (done.vectors[i] != null) out.add(part.get(i), done.vectors[i]);
            leftOut.putAll(done.leftOut);
            progress.update((long) c * chunkSize + part.size(), resumedChunks > 0 ? resumedChunks + " chunks resumed" : "");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        int fresh = images.size() - resumedImages;
        progress.finish(String.format(Locale.ROOT, "%d images, %d of them from a stopped run's chunks; %d embedded in %.1f s (%.1f images/s)",
            images.size(), resumedImages, fresh, s, fresh / Math.max(s, 1e-9)));
        return out.build();
    }

    /** Deletes the folder and its chunks (call once the result is stored). */
    public void delete() throws IOException {
        if (!Files.isDirectory(folder)) return;
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(folder);
    }

    /** Keeps the folder's chunks when they belong to {@code fullKey}, else empties it and records the key. */
    private void prepare(String fullKey) throws IOException {
        long n = KeyedChunkFolder.open(folder, fullKey);
        if (n > 0) log.accept("resuming a stopped embedding: " + n + " finished chunks of up to " + chunkSize + " images in " + folder);
        if (n < 0) log.accept("starting the embedding over: the chunks in " + folder + " are of another model, flip mode or image listing");
    }

    private record Chunk(float[][] vectors, Map<String, String> leftOut) {
        static Chunk of(List<String> part, Embeddings e, Map<String, String> leftOut) {
            float[][] v = new float[part.size()][];
            for (int i = 0; i < v.length; i++) {
                String rel = part.get(i);
                if (e.contains(rel)) v[i] = e.get(rel);
                else if (!leftOut.containsKey(rel)) throw new IllegalStateException(rel + ": neither embedded nor left out with a reason");
            }
            return new Chunk(v, leftOut);
        }
    }

    private static void write(Path file, Chunk c, int dimension, String signature) throws IOException {
        AtomicFile.writeStream(file, os -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(c.vectors.length);
            out.writeInt(dimension);
            out.writeUTF(signature);
            for (float[] v : c.vectors) {
                out.writeBoolean(v != null);
                if (v != null) for (float x : v) out.writeFloat(x);
            }
            out.writeInt(c.leftOut.size());
            for (Map.Entry<String, String> e : c.leftOut.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(MAGIC);
            out.flush();
        });
    }

    /** The chunk in {@code file} for {@code part}, or null when absent or unreadable (then it is embedded again). */
    private Chunk read(Path file, List<String> part, int dimension, String signature) {
        if (!Files.isRegularFile(file)) return null;
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != part.size() || in.readInt() != dimension) throw new IOException("header does not match");
            if (!in.readUTF().equals(signature)) {
                log.accept(file + ": some of its images changed since it was embedded; embedding them again");
                return null;
            }
            float[][] v = new float[part.size()][];
            for (int i = 0; i < v.length; i++) {
                if (!in.readBoolean()) continue;
                v[i] = new float[dimension];
                for (int j = 0; j < dimension; j++) v[i][j] = in.readFloat();
            }
            Map<String, String> leftOut = new LinkedHashMap<>();
            int n = in.readInt();
            Set<String> names = new HashSet<>(part);
            for (int i = 0; i < n; i++) {
                String rel = in.readUTF();
                if (!names.contains(rel)) throw new IOException(rel + " is not an image of this chunk");
                leftOut.put(rel, in.readUTF());
            }
            if (in.readInt() != MAGIC) throw new IOException("trailer does not match");
            return new Chunk(v, leftOut);
        } catch (EOFException e) {
            log.accept(file + ": ends early; embedding its images again");
        } catch (IOException e) {
            log.accept(file + ": cannot be read (" + e.getMessage() + "); embedding its images again");
        }
        return null;
    }
}
