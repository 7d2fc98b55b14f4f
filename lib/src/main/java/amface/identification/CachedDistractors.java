package amface.identification;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import amface.eval.FlipMode;
import amface.io.AtomicFile;
import amface.io.KeyedChunkFolder;
import amface.nn.FaceModel;

/**
 * Synthetic distractors whose embeddings are kept on disk as they are made, so that a long run (a million painted
 * faces) stopped by a kill continues where it stopped, and a second evaluation with the same model reads them
 * instead of painting again. Chunks of {@link #CHUNK} rows are written atomically into a folder tied to a key (the
 * model fingerprint, flip mode, seed, difficulty: whatever the embeddings depend on); a folder of another key is
 * emptied, a damaged chunk is made again. The caller owns the folder (one process at a time).
 * <pre>{@code
 * DistractorSource d = CachedDistractors.painted(dir, model, flip, SyntheticDistractors.SEED, SyntheticDistractors.DIFFICULTY, 1_000_000, log);
 * }</pre>
 */
public final class CachedDistractors implements DistractorSource {
    /** Rows per chunk file (8 MB at 512 values). */
    public static final int CHUNK = 4096;
    private static final int MAGIC = 0x616d6434;   // "amd4"

    private final Path folder;
    private final SyntheticDistractors source;
    private final Consumer<String> log;
    private final int chunkRows;
    private int chunk;
    private float[][] buffer = new float[0][];
    private int at;
    private int reused;

    private CachedDistractors(Path folder, SyntheticDistractors source, int chunkRows, Consumer<String> log) {
        this.folder = folder;
        this.chunkRows = chunkRows;
        this.source = source;
        this.log = log;
    }

    /** {@code source}'s distractors, cached in {@code folder} under {@code key}; notes (reuse, start over) go to {@code log}. */
    public static CachedDistractors of(Path folder, String key, SyntheticDistractors source, Consumer<String> log) throws IOException {
        return of(folder, key, source, CHUNK, log);
    }

    /** As {@link #of(Path, String, SyntheticDistractors, Consumer)} with chunks of {@code chunkRows} (part of the key). */
    public static CachedDistractors of(Path folder, String key, SyntheticDistractors source, int chunkRows, Consumer<String> log) throws IOException {
        Objects.requireNonNull(key, "key");
        if (chunkRows < 1) throw new IllegalArgumentException("chunk rows must be at least 1, got " + chunkRows);
        CachedDistractors c = new CachedDistractors(Objects.requireNonNull(folder, "folder"), Objects.requireNonNull(source, "source"), chunkRows,
            Objects.requireNonNull(log, "log"));
        String fullKey = key + "\nchunk " + chunkRows + "\n";
        if (KeyedChunkFolder.open(folder, fullKey) < 0) log.accept("the distractor cache " + folder + " holds another model's or seed's embeddings: starting over");
        return c;
    }

    /**
     * {@code count} painted distractors of {@code model} ({@link SyntheticDistractors} with {@code flip}, the faces of
     * {@code seed} and {@code difficulty}), cached in {@code folder} under a key of everything their embeddings depend
     * on. {@code amface ident-eval --synthetic-cache} and notebook 05 both come here, so they share a folder's chunks.
     */
    public static CachedDistractors painted(Path folder, FaceModel model, FlipMode flip, long seed, double difficulty, int count,
                                            Consumer<String> log) throws IOException {
        SyntheticDistractors painted = new SyntheticDistractors(model, flip, seed, difficulty, count, SyntheticDistractors.BATCH);
        String key = "model " + model.fingerprint() + "\nflip " + flip.cliName() + "\nnormalisation " + model.normalisation().describe()
            + "\nseed " + seed + "\ndifficulty " + difficulty + "\ninput " + model.inputWidth() + "x" + model.inputHeight();
        return of(folder, key, painted, log);
    }

    /** Distractors read from the cache rather than painted, so far. */
    public int reused() { return reused; }

    @Override
    public float[][] next(int max) throws IOException {
        if (at == buffer.length) {
            buffer = load();
            at = 0;
            if (buffer.length == 0) return buffer;
        }
        int n = Math.min(max, buffer.length - at);
        float[][] out = java.util.Arrays.copyOfRange(buffer, at, at + n);
        at += n;
        return out;
    }

    /** The next chunk: from its file when whole, else painted, embedded and written; never past the source's count. */
    private float[][] load() throws IOException {
        if (source.remaining() == 0) return new float[0][];
        Path file = folder.resolve(String.format(Locale.ROOT, "chunk-%06d.bin", chunk++));
        float[][] rows = read(file);
        if (rows != null) {
            // a cache of a larger count: only as many as this run asks for
            if (rows.length > source.remaining()) rows = java.util.Arrays.copyOf(rows, source.remaining());
            source.skip(rows.length);
            reused += rows.length;
            return rows;
        }
        rows = source.next(chunkRows);
        if (rows.length == 0) return rows;
        float[][] written = rows;
        AtomicFile.writeStream(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.writeInt(MAGIC);
            out.writeInt(written.length);
            out.writeInt(written[0].length);
            for (float[] r : written) for (float v : r) out.writeFloat(v);
            out.writeInt(MAGIC);
            out.flush();
        });
        return rows;
    }

    private float[][] read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) throw new IOException("not a distractor chunk");
            int n = in.readInt(), d = in.readInt();
            if (n < 1 || n > chunkRows || d < 1 || d > 1 << 16) throw new IOException(n + " rows of " + d + " values");
            float[][] rows = new float[n][d];
            for (float[] r : rows) for (int j = 0; j < d; j++) r[j] = in.readFloat();
            if (in.readInt() != MAGIC) throw new IOException("trailer does not match");
            return rows;
        } catch (IOException e) {
            log.accept(file + ": cannot be read (" + e.getMessage() + "); painting its distractors again");
            return null;
        }
    }
}
