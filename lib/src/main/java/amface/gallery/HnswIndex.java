package amface.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import amface.data.Progress;

/**
 * Approximate search on Lucene's HNSW graph ({@code KnnFloatVectorField}, {@code DOT_PRODUCT} on the gallery's
 * unit vectors, so the score is the cosine similarity), persisted in a folder of the gallery index: the same
 * structure OpenSearch's and Elasticsearch's {@code knn_vector}/{@code dense_vector} fields build, so a gallery can
 * move to a cluster (see the package documentation). Each document holds the entry's stable id; the gallery maps it
 * back to the entry. Segments are never merged (a merge rebuilds the graph): {@code add} writes a new segment and
 * {@code remove} marks documents deleted, both into a new folder whose unchanged files are hard links to the old one.
 * <pre>{@code
 * HnswIndex.build(dir, gallery, HnswIndex.Params.DEFAULT, progress);
 * try (HnswIndex h = HnswIndex.open(dir, gallery).withEf(100)) { h.search(probe, 10); }
 * }</pre>
 */
public final class HnswIndex implements SearchEngine {
    static final String VECTOR = "vector";
    static final String ID = "id";

    /**
     * Graph parameters: {@code m} neighbours per node and the {@code beamWidth} candidates considered when
     * inserting. Lucene's defaults 16 and 100 (with ef 100 at search) are kept: on face-like clustered 512-value
     * vectors they found exact search's best match for every probe at 10 k and 100 k (recall@1 1.000, recall@10
     * 1.000 and 0.996, {@link SearchBenchmark}). At 1 M the same graph found it for only 77.5 % of probes
     * (recall@10 0.766) after a 72-minute build, which is why {@link GalleryFolder#HNSW_FROM} keeps exact search
     * to 2 M; a graph that large wants larger values, measured before use.
     */
    public record Params(int m, int beamWidth) {
        public static final Params DEFAULT = new Params(16, 100);

        public Params {
            if (m < 2 || m > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) throw new IllegalArgumentException("HNSW M must be 2 to " + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + ", got " + m);
            if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) throw new IllegalArgumentException("HNSW beam width must be 1 to " + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + ", got " + beamWidth);
        }
    }

    /** Candidates searched per probe by default (Lucene's k): recall@10 rises with it, latency too. */
    public static final int DEFAULT_EF = 100;

    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Gallery gallery;
    private final Map<Long, Integer> rowOfId;
    private final int ef;

    private HnswIndex(Directory directory, DirectoryReader reader, Gallery gallery, Map<Long, Integer> rowOfId, int ef) {
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.gallery = gallery;
        this.rowOfId = rowOfId;
        this.ef = ef;
    }

    /** Opens the graph in {@code dir} for {@code gallery} (whose entry ids it holds); a missing or damaged folder is an error naming it. */
    public static HnswIndex open(Path dir, Gallery gallery) {
        Directory d = null;
        try {
            d = FSDirectory.open(dir);
            DirectoryReader r = DirectoryReader.open(d);
            if (r.numDocs() != gallery.size()) {
                r.close();
                throw new IllegalArgumentException(dir + ": the HNSW index holds " + r.numDocs() + " vectors but the gallery " + gallery.size()
                    + ": the index is corrupt; rebuild it with amface index build");
            }
            Map<Long, Integer> rows = new HashMap<>();
            for (int i = 0; i < gallery.size(); i++) rows.put(gallery.entry(i).id(), i);
            return new HnswIndex(d, r, gallery, rows, DEFAULT_EF);
        } catch (IOException e) {
            closeQuietly(d);
            throw new IllegalArgumentException(dir + ": the HNSW index cannot be read (" + e.getMessage() + "): it is corrupt or half-written; rebuild it with amface index build", e);
        }
    }

    /** The same index searching {@code ef} candidates per probe (at least k). */
    public HnswIndex withEf(int ef) {
        if (ef < 1) throw new IllegalArgumentException("ef must be at least 1, got " + ef);
        return new HnswIndex(directory, reader, gallery, rowOfId, ef);
    }

    @Override
    public String name() { return "hnsw (ef " + ef + ")"; }

    @Override
    public List<List<SearchHit>> search(float[][] probes, int k) {
        float[][] p = Vectors.probes(probes, gallery.dimension());
        int kk = Math.min(k, gallery.size());
        int candidates = Math.max(kk, ef);
        List<List<SearchHit>> out = new ArrayList<>(p.length);
        try {
            StoredFields stored = searcher.storedFields();
            for (float[] q : p) {
                TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, q, candidates), candidates);
                List<SearchHit> hits = new ArrayList<>(kk);
                for (ScoreDoc sd : top.scoreDocs) {
                    if (hits.size() == kk) break;
                    long id = stored.document(sd.doc, Set.of(ID)).getField(ID).numericValue().longValue();
                    Integer row = rowOfId.get(id);
                    if (row == null) throw new IllegalStateException("the HNSW index holds entry " + id + ", which the gallery does not: rebuild the index");
                    // DOT_PRODUCT scores are (1 + cosine) / 2.
                    hits.add(new SearchHit(hits.size() + 1, gallery.entry(row), 2.0 * sd.score - 1.0));
                }
                out.add(hits);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HNSW search failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
        closeQuietly(directory);
    }

    /** Builds the graph of every gallery vector into {@code dir} (a new, empty folder). */
    public static void build(Path dir, Gallery gallery, Params params, Progress progress) throws IOException {
        if (Files.isDirectory(dir) && Files.list(dir).findAny().isPresent()) throw new IOException(dir + ": not empty; an HNSW index is built into a new folder");
        try (Directory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, config(params, gallery.size(), gallery.dimension()))) {
            add(w, gallery, allRows(gallery), progress, "Building the HNSW graph");
            w.commit();
        }
    }

    /**
     * The graph of {@code now} in the new folder {@code dir}, made from the graph in {@code from} (of the entries
     * {@code before}):
     * its files hard-linked (copied where links are not possible), entries gone from the gallery deleted, new ones
     * added as a new segment. {@code from} is not changed.
     */
    public static void update(Path from, Path dir, Set<Long> before, Gallery now, Params params, Progress progress) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().equals("write.lock")) continue;
                try {
                    Files.createLink(dir.resolve(f.getFileName()), f);
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        Set<Long> kept = new HashSet<>();
        for (GalleryEntry e : now.entries()) kept.add(e.id());
        long[] gone = before.stream().mapToLong(Long::longValue).filter(id -> !kept.contains(id)).toArray();
        List<Integer> added = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) if (!before.contains(now.entry(i).id())) added.add(i);
        IndexWriterConfig c = config(params, added.size(), now.dimension()).setOpenMode(IndexWriterConfig.OpenMode.APPEND);
        try (Directory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, c)) {
            if (gone.length > 0) w.deleteDocuments(LongPoint.newSetQuery(ID, gone));
            add(w, now, added, progress, "Adding to the HNSW graph");
            w.commit();
        }
    }

    private static List<Integer> allRows(Gallery g) {
        List<Integer> rows = new ArrayList<>(g.size());
        for (int i = 0; i < g.size(); i++) rows.add(i);
        return rows;
    }

    private static void add(IndexWriter w, Gallery g, List<Integer> rows, Progress progress, String task) throws IOException {
        progress.start(task + " (" + rows.size() + " vectors)", rows.size());
        org.apache.lucene.document.FieldType type = KnnFloatVectorField.createFieldType(g.dimension(), VectorSimilarityFunction.DOT_PRODUCT);
        for (int i = 0; i < rows.size(); i++) {
            int row = rows.get(i);
            long id = g.entry(row).id();
            Document doc = new Document();
            doc.add(new KnnFloatVectorField(VECTOR, g.vector(row), type));
            doc.add(new LongPoint(ID, id));
            doc.add(new StoredField(ID, id));
            w.addDocument(doc);
            if ((i + 1) % 1000 == 0 || i + 1 == rows.size()) progress.update(i + 1, "");
        }
        progress.finish(rows.size() + " vectors in the graph");
    }

    private static IndexWriterConfig config(Params params, int vectors, int dimension) {
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(params.m(), params.beamWidth());
        IndexWriterConfig c = new IndexWriterConfig();
        c.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) { return format; }
        });
        // One segment per build where memory allows: vectors plus graph, well below Lucene's 2 GB per-writer cap.
        double mb = Math.min(1900, Math.max(64, vectors * (dimension * 4.0 + params.m() * 8.0 + 64) / (1 << 20) * 1.3));
        c.setRAMBufferSizeMB(mb);
        c.setMergePolicy(NoMergePolicy.INSTANCE);
        c.setUseCompoundFile(false);
        c.setCommitOnClose(false);
        return c;
    }

    private static void closeQuietly(Directory d) {
        if (d == null) return;
        try {
            d.close();
        } catch (IOException ignored) {
            // nothing written
        }
    }
}
