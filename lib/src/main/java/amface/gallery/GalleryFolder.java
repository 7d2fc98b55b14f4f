package amface.gallery;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import amface.data.Progress;
import amface.io.AtomicFile;
import amface.io.Sha256;

/**
 * A gallery index on disk: one folder holding the vectors ({@code vectors-G.f32}, little-endian float32, row-major),
 * the entries ({@code entries-G.tsv}: id, identity, images, mean norm, source), optionally the HNSW graph
 * ({@code hnsw-G/}), and the manifest {@value #MANIFEST} naming them with their checksums and the model's
 * fingerprint and flip mode. Every change writes a new generation G and commits it by writing the manifest last,
 * atomically ({@link AtomicFile}): a kill at any point leaves the previous manifest and the files it names, so the
 * old index stays whole, and the next write removes what the kill left. Reading checks sizes and checksums, so a
 * damaged or half-copied index is a clear error, never wrong answers. Callers that write hold the folder's
 * {@link amface.io.FolderLock}.
 * <pre>{@code
 * GalleryFolder.writer(dir).engine(Engine.AUTO).model("model.zip").progress(p).write(gallery);
 * GalleryFolder f = GalleryFolder.read(dir);
 * try (SearchEngine s = f.engine(Engine.AUTO)) { s.search(probe, 5); }
 * }</pre>
 */
public final class GalleryFolder {
    /** The manifest: written last, its presence and content make a generation the index. */
    public static final String MANIFEST = "gallery.properties";
    static final String FORMAT = "amface-gallery-1";
    /**
     * Size from which {@link Engine#AUTO} builds and uses the HNSW graph. Below it exact search is always right,
     * needs no graph and answers a batch of probes at about the machine's sgemm rate. Measured here
     * ({@code index bench}, 2026-12-07, load 3.8-7): at 1 M vectors a single probe takes 0.20 s exact (0.13 s bf16),
     * about what MTCNN and the network take for the probe photo, while the graph at Lucene's default parameters
     * took 72 minutes to build and found exact search's best match for only 77.5 % of probes (recall@1 1.000 at
     * 10 k and 100 k). So exact answers up to 2 M; a larger gallery needs a graph with larger M, beam and ef,
     * chosen by measuring with {@code index bench}.
     */
    public static final int HNSW_FROM = 2_000_000;
    private static final Pattern GENERATION_FILE = Pattern.compile("(vectors|entries|hnsw)-(\\d+)(\\.f32|\\.tsv)?");

    /** Which engine answers: exact, HNSW, or by gallery size ({@link #HNSW_FROM}). */
    public enum Engine {
        AUTO, EXACT, HNSW;

        public static Engine parse(String s) {
            for (Engine e : values()) if (e.name().equalsIgnoreCase(s.strip())) return e;
            throw new IllegalArgumentException("unknown engine '" + s + "' (use auto, exact or hnsw)");
        }

        public String cliName() { return name().toLowerCase(Locale.ROOT); }
    }

    private final Path dir;
    private final Gallery gallery;
    private final long generation;
    private final Engine engine;
    private final HnswIndex.Params hnswParams;
    private final String model;

    private GalleryFolder(Path dir, Gallery gallery, long generation, Engine engine, HnswIndex.Params hnswParams, String model) {
        this.dir = dir;
        this.gallery = gallery;
        this.generation = generation;
        this.engine = engine;
        this.hnswParams = hnswParams;
        this.model = model;
    }

    public Path dir() { return dir; }

    public Gallery gallery() { return gallery; }

    /** The engine the index was built for: {@link Engine#HNSW} when it holds a graph, else {@link Engine#EXACT}. */
    public Engine engine() { return engine; }

    /** The graph's parameters, or null when the index has no graph. */
    public HnswIndex.Params hnswParams() { return hnswParams; }

    /** The model file the gallery was built with (informational; the fingerprint is what is checked). */
    public String model() { return model; }

    long generation() { return generation; }

    Path hnswDir() { return hnswParams == null ? null : dir.resolve("hnsw-" + generation); }

    /** A search engine over this index: {@code AUTO} is the one it was built for; {@code HNSW} needs a graph. */
    public SearchEngine engine(Engine choice) {
        Engine e = choice == Engine.AUTO ? engine : choice;
        if (e == Engine.HNSW) {
            if (hnswParams == null) throw new IllegalArgumentException(dir + ": this index has no HNSW graph (" + gallery.size() + " entries, built for exact search): rebuild it with --engine hnsw");
            return HnswIndex.open(hnswDir(), gallery);
        }
        return ExactSearch.of(gallery);
    }

    /** Reads the index in {@code dir}; anything missing, damaged or half-written is an IllegalArgumentException naming the file. */
    public static GalleryFolder read(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such gallery index folder (build one with amface index build)");
        Properties m = new Properties();
        try {
            m.load(new StringReader(Files.readString(manifestFile, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + ": not a gallery index (no " + MANIFEST + "; an index build that was stopped before it finished leaves none): build one with amface index build");
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(manifestFile, "cannot be read (" + e.getMessage() + ")");
        }
        if (!FORMAT.equals(m.getProperty("format"))) throw corrupt(manifestFile, "format is '" + m.getProperty("format") + "', expected " + FORMAT);
        long generation = number(m, "generation", manifestFile);
        int dimension = (int) number(m, "dimension", manifestFile);
        int size = (int) number(m, "size", manifestFile);
        String fingerprint = required(m, "fingerprint", manifestFile);
        String flip = required(m, "flip", manifestFile);
        boolean pooled = Boolean.parseBoolean(required(m, "pooled", manifestFile));
        if (size < 1 || dimension < 1) throw corrupt(manifestFile, "size " + size + " and dimension " + dimension + " must be positive");
        List<GalleryEntry> entries = readEntries(dir.resolve(required(m, "entries", manifestFile)), required(m, "entries_sha256", manifestFile), size);
        float[][] blocks = readVectors(dir.resolve(required(m, "vectors", manifestFile)), Long.parseUnsignedLong(required(m, "vectors_crc32c", manifestFile)), size, dimension);
        Gallery g = new Gallery(fingerprint, flip, dimension, pooled, entries, blocks);
        HnswIndex.Params params = null;
        if (!m.getProperty("hnsw", "").isEmpty()) {
            params = new HnswIndex.Params((int) number(m, "hnsw_m", manifestFile), (int) number(m, "hnsw_beam_width", manifestFile));
            Path h = dir.resolve(m.getProperty("hnsw"));
            if (!Files.isDirectory(h)) throw corrupt(h, "missing: the manifest names it as the HNSW graph");
        }
        return new GalleryFolder(dir, g, generation, params != null ? Engine.HNSW : Engine.EXACT, params, m.getProperty("model", ""));
    }

    /** Whether {@code dir} holds an index manifest (complete or not). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    public static Writer writer(Path dir) {
        return new Writer(dir);
    }

    /** Writes a gallery as the folder's next generation. */
    public static final class Writer {
        private final Path dir;
        private Engine engine = Engine.AUTO;
        private HnswIndex.Params params = HnswIndex.Params.DEFAULT;
        private String model = "";
        private Progress progress = Progress.NONE;

        private Writer(Path dir) { this.dir = dir; }

        /** {@code AUTO}: a graph from {@link #HNSW_FROM} entries on; {@code HNSW}: always; {@code EXACT}: never. */
        public Writer engine(Engine e) { this.engine = e; return this; }

        public Writer hnsw(HnswIndex.Params p) { this.params = p; return this; }

        public Writer model(String name) { this.model = name == null ? "" : name; return this; }

        public Writer progress(Progress p) { this.progress = p; return this; }

        /**
         * Writes {@code g} as the next generation and commits it; the previous generation's files go only after the
         * commit. When the previous generation has a graph of the same parameters, the new graph is made from it
         * (added entries inserted, removed ones deleted) instead of from scratch.
         */
        public GalleryFolder write(Gallery g) throws IOException {
            Files.createDirectories(dir);
            AtomicFile.removeTemporaries(dir);
            GalleryFolder previous = null;
            try {
                if (exists(dir)) previous = read(dir);
            } catch (IllegalArgumentException damaged) {
                previous = null;  // a damaged index is replaced whole
            }
            removeUnreferenced(dir, previous == null ? -1 : previous.generation);
            long gen = Math.max(previous == null ? 0 : previous.generation, highestGeneration(dir)) + 1;
            boolean graph = engine == Engine.HNSW || engine == Engine.AUTO && g.size() >= HNSW_FROM;

            String vectorsName = "vectors-" + gen + ".f32", entriesName = "entries-" + gen + ".tsv", hnswName = "hnsw-" + gen;
            long crc = writeVectors(dir.resolve(vectorsName), g, progress);
            byte[] entries = entriesText(g).getBytes(StandardCharsets.UTF_8);
            AtomicFile.writeBytes(dir.resolve(entriesName), entries);
            if (graph) {
                boolean reuse = previous != null && params.equals(previous.hnswParams) && previous.gallery.fingerprint().equals(g.fingerprint());
                if (reuse) HnswIndex.update(previous.hnswDir(), dir.resolve(hnswName), ids(previous.gallery), g, params, progress);
                else HnswIndex.build(dir.resolve(hnswName), g, params, progress);
            }
            StringBuilder s = new StringBuilder("# amface gallery index: written last, names the files of generation " + gen + "\n");
            put(s, "format", FORMAT);
            put(s, "generation", Long.toString(gen));
            put(s, "fingerprint", g.fingerprint());
            put(s, "model", model);
            put(s, "flip", g.flip());
            put(s, "dimension", Integer.toString(g.dimension()));
            put(s, "size", Integer.toString(g.size()));
            put(s, "identities", Integer.toString(g.identities().size()));
            put(s, "pooled", Boolean.toString(g.pooled()));
            put(s, "vectors", vectorsName);
            put(s, "vectors_crc32c", Long.toUnsignedString(crc));
            put(s, "entries", entriesName);
            put(s, "entries_sha256", Sha256.hex(entries));
            put(s, "hnsw", graph ? hnswName : "");
            if (graph) {
                put(s, "hnsw_m", Integer.toString(params.m()));
                put(s, "hnsw_beam_width", Integer.toString(params.beamWidth()));
            }
            put(s, "created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            AtomicFile.writeString(dir.resolve(MANIFEST), s.toString());
            removeUnreferenced(dir, gen);
            return new GalleryFolder(dir, g, gen, graph ? Engine.HNSW : Engine.EXACT, graph ? params : null, model);
        }
    }

    private static Set<Long> ids(Gallery g) {
        Set<Long> s = new HashSet<>();
        for (GalleryEntry e : g.entries()) s.add(e.id());
        return s;
    }

    private static void put(StringBuilder s, String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // store() escapes the value and adds a date comment: keep only the key line.
        for (String line : w.toString().split("\n")) if (!line.startsWith("#")) s.append(line.strip()).append('\n');
    }

    /** Deletes generation files other than {@code keep}'s (what a kill or a finished change left). */
    private static void removeUnreferenced(Path dir, long keep) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher mt = GENERATION_FILE.matcher(p.getFileName().toString());
                if (mt.matches() && Long.parseLong(mt.group(2)) != keep) stale.add(p);
            }
        }
        for (Path p : stale) deleteTree(p);
    }

    private static long highestGeneration(Path dir) throws IOException {
        long max = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher mt = GENERATION_FILE.matcher(p.getFileName().toString());
                if (mt.matches()) max = Math.max(max, Long.parseLong(mt.group(2)));
            }
        }
        return max;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : (Iterable<Path>) s::iterator) deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }

    private static long writeVectors(Path file, Gallery g, Progress progress) throws IOException {
        CRC32C crc = new CRC32C();
        AtomicFile.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                float[][] blocks = g.blocks();
                for (float[] block : blocks) {
                    ByteBuffer buf = ByteBuffer.allocate(block.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(block);
                    crc.update(buf.duplicate());
                    while (buf.hasRemaining()) ch.write(buf);
                }
            }
        });
        return crc.getValue();
    }

    private static float[][] readVectors(Path file, long expectedCrc, int size, int dimension) {
        long expectedBytes = (long) size * dimension * Float.BYTES;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != expectedBytes) {
                throw corrupt(file, ch.size() + " bytes, but " + size + " vectors of " + dimension + " floats are " + expectedBytes);
            }
            CRC32C crc = new CRC32C();
            float[][] blocks = new float[(size + Gallery.BLOCK - 1) / Gallery.BLOCK][];
            for (int b = 0; b < blocks.length; b++) {
                int rows = Math.min(Gallery.BLOCK, size - b * Gallery.BLOCK);
                ByteBuffer buf = ByteBuffer.allocate(rows * dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                while (buf.hasRemaining()) if (ch.read(buf) < 0) throw corrupt(file, "ends early");
                buf.flip();
                crc.update(buf.duplicate());
                blocks[b] = new float[rows * dimension];
                buf.asFloatBuffer().get(blocks[b]);
            }
            if (crc.getValue() != expectedCrc) throw corrupt(file, "checksum does not match the manifest's (the file was changed or damaged)");
            for (float[] block : blocks) {
                for (int r = 0; r < block.length / dimension; r++) {
                    double n = Vectors.norm(block, r * dimension, dimension);
                    if (!(Math.abs(n - 1) < 1e-3)) throw corrupt(file, "vector " + r + " has length " + n + ", gallery vectors are normalised");
                }
            }
            return blocks;
        } catch (NoSuchFileException e) {
            throw corrupt(file, "missing: the manifest names it");
        } catch (IOException e) {
            throw corrupt(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    static String entriesText(Gallery g) {
        StringBuilder s = new StringBuilder(g.size() * 48);
        s.append("id\tidentity\timages\tmean_norm\tsource\n");
        for (GalleryEntry e : g.entries()) {
            s.append(e.id()).append('\t').append(e.identity()).append('\t').append(e.images()).append('\t')
                .append(e.meanNorm()).append('\t').append(e.source()).append('\n');
        }
        return s.toString();
    }

    private static List<GalleryEntry> readEntries(Path file, String expectedSha, int size) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw corrupt(file, "missing: the manifest names it");
        } catch (IOException e) {
            throw corrupt(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (!Sha256.hex(bytes).equals(expectedSha)) throw corrupt(file, "checksum does not match the manifest's (the file was changed or damaged)");
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (lines.length != size + 1) throw corrupt(file, (lines.length - 1) + " entries, the manifest says " + size);
        List<GalleryEntry> out = new ArrayList<>(size);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            try {
                if (f.length != 5) throw new IllegalArgumentException("expected 5 tab-separated fields, found " + f.length);
                out.add(new GalleryEntry(Long.parseLong(f[0]), f[1], f[4], Integer.parseInt(f[2]), Double.parseDouble(f[3])));
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static String required(Properties m, String key, Path file) {
        String v = m.getProperty(key);
        if (v == null) throw corrupt(file, "has no '" + key + "'");
        return v;
    }

    private static long number(Properties m, String key, Path file) {
        String v = required(m, key, file);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw corrupt(file, key + " is '" + v + "', not a whole number");
        }
    }

    private static IllegalArgumentException corrupt(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what + "; the gallery index is damaged: rebuild it with amface index build");
    }
}
