package amface.gallery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import amface.eval.Embeddings;
import amface.identification.TemplatePooling;
import amface.nn.ModelFingerprint;

/**
 * A face gallery in memory: L2-normalised embeddings with their identities and source images, and the model that
 * made them (its {@link ModelFingerprint} and flip mode), so that probes from another model are refused rather
 * than compared with meaningless scores. Vectors are kept in blocks of {@link #BLOCK} rows (row-major float32), the
 * unit the exact engine multiplies. Immutable: {@link #plus} and {@link #without} return new galleries.
 * <pre>{@code
 * Gallery g = Gallery.builder(model.fingerprint(), "mean", 512).pooled(false)
 *     .add("Alice", "Alice/Alice_0001.jpg", embedding).build();
 * g.requireModel(model.fingerprint(), "probe.jpg");      // another model: a clear error
 * }</pre>
 */
public final class Gallery {
    /** Rows per vector block. */
    public static final int BLOCK = 8192;

    private final String fingerprint;
    private final String flip;
    private final int dimension;
    private final boolean pooled;
    private final List<GalleryEntry> entries;
    private final float[][] blocks;

    Gallery(String fingerprint, String flip, int dimension, boolean pooled, List<GalleryEntry> entries, float[][] blocks) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.flip = Objects.requireNonNull(flip, "flip");
        this.dimension = dimension;
        this.pooled = pooled;
        this.entries = List.copyOf(entries);
        this.blocks = blocks;
        if (this.entries.isEmpty()) throw new IllegalArgumentException("an empty gallery: there is nothing to search (no embeddings were given)");
        long rows = 0;
        for (float[] b : blocks) rows += b.length / dimension;
        if (rows != this.entries.size()) throw new IllegalStateException(this.entries.size() + " entries but " + rows + " vectors");
    }

    /** A gallery of embeddings of {@code dimension} values made by the model {@code fingerprint} with flip mode {@code flip}. */
    public static Builder builder(String fingerprint, String flip, int dimension) {
        return new Builder(fingerprint, flip, dimension);
    }

    /** The gallery of every embedding of {@code embeddings}, the identity being the folder of each path ({@code Name/Name_0001.jpg}). */
    public static Gallery fromEmbeddings(Embeddings embeddings, String fingerprint, String flip, boolean pooled) {
        Builder b = builder(fingerprint, flip, embeddings.dimension()).pooled(pooled);
        for (String path : embeddings.paths()) b.add(identityOf(path), path, embeddings.get(path));
        return b.build();
    }

    /** The identity of an aligned-dataset path: its first folder. */
    public static String identityOf(String path) {
        String p = path.replace('\\', '/');
        int slash = p.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException(path + ": not of the form IDENTITY/IMAGE (an aligned dataset has one folder per person)");
        return p.substring(0, slash);
    }

    public String fingerprint() { return fingerprint; }

    /** The flip mode the embeddings were combined with (probes must use the same). */
    public String flip() { return flip; }

    public int dimension() { return dimension; }

    /** Whether each identity is one template (the mean of its normalised features). */
    public boolean pooled() { return pooled; }

    public int size() { return entries.size(); }

    public List<GalleryEntry> entries() { return entries; }

    public GalleryEntry entry(int row) { return entries.get(row); }

    /** The distinct identities, in order of first appearance. */
    public List<String> identities() {
        Set<String> s = new LinkedHashSet<>();
        for (GalleryEntry e : entries) s.add(e.identity());
        return List.copyOf(s);
    }

    /** The normalised vector of {@code row} (a copy). */
    public float[] vector(int row) {
        float[] out = new float[dimension];
        System.arraycopy(blocks[row / BLOCK], (row % BLOCK) * dimension, out, 0, dimension);
        return out;
    }

    /** The vector blocks themselves ({@link #BLOCK} rows each, the last shorter); callers must not modify them. */
    float[][] blocks() { return blocks; }

    /** Rows in block {@code b}. */
    int rowsIn(int b) { return blocks[b].length / dimension; }

    /** Refuses probes of another model: {@code what} names them (a photo, a CSV) in the message. */
    public void requireModel(String probeFingerprint, String what) {
        if (!fingerprint.equals(probeFingerprint)) {
            throw new IllegalArgumentException(what + " is embedded by model " + ModelFingerprint.shortForm(probeFingerprint) + " but the gallery was built by model "
                + ModelFingerprint.shortForm(fingerprint) + ": scores between two models mean nothing; use the gallery's model or build a gallery with this one");
        }
    }

    /** Refuses probes combined with another flip mode than the gallery's. */
    public void requireFlip(String probeFlip, String what) {
        if (!flip.equals(probeFlip)) {
            throw new IllegalArgumentException(what + " uses flip " + probeFlip + " but the gallery was embedded with flip " + flip + ": use --flip " + flip);
        }
    }

    /**
     * This gallery and {@code added}'s entries (same model, flip, dimension and pooling). An identity already here is
     * an error unless {@code merge}: then its images join it (pooled: its template becomes the mean over all its
     * images, exactly as if pooled at once). A source image already in the gallery is always an error.
     */
    public Gallery plus(Gallery added, boolean merge) {
        added.requireModel(fingerprint, "the added gallery");
        if (!added.fingerprint.equals(fingerprint)) throw new AssertionError();
        if (!added.flip.equals(flip)) throw new IllegalArgumentException("the added embeddings use flip " + added.flip + ", the gallery flip " + flip);
        if (added.dimension != dimension) throw new IllegalArgumentException("the added embeddings have " + added.dimension + " values, the gallery's " + dimension);
        if (added.pooled != pooled) throw new IllegalArgumentException("the gallery is " + (pooled ? "" : "not ") + "pooled; add with the same pooling");
        Map<String, Integer> rowOf = new HashMap<>();
        Set<String> sources = new java.util.HashSet<>();
        for (int i = 0; i < size(); i++) { rowOf.putIfAbsent(entries.get(i).identity(), i); sources.add(entries.get(i).source()); }
        if (!merge) {
            List<String> present = added.identities().stream().filter(rowOf::containsKey).toList();
            if (!present.isEmpty()) {
                throw new IllegalArgumentException(present.size() + " of the added identities are already in the gallery (" + String.join(", ", present.subList(0, Math.min(5, present.size())))
                    + (present.size() > 5 ? ", ..." : "") + "): remove them first, or merge the new images into them with --merge");
            }
        }
        for (GalleryEntry e : added.entries) {
            if (sources.contains(e.source()) && !pooled) throw new IllegalArgumentException(e.source() + " (" + e.identity() + ") is already in the gallery");
        }
        long nextId = nextId();
        List<GalleryEntry> out = new ArrayList<>(entries);
        List<float[]> vectors = new ArrayList<>(size() + added.size());
        for (int i = 0; i < size(); i++) vectors.add(vector(i));
        for (int j = 0; j < added.size(); j++) {
            GalleryEntry e = added.entries.get(j);
            Integer row = pooled ? rowOf.get(e.identity()) : null;
            if (row == null) {
                out.add(new GalleryEntry(nextId++, e.identity(), e.source(), e.images(), e.meanNorm()));
                vectors.add(added.vector(j));
                continue;
            }
            // Pooled merge: sum of normalised features = images x meanNorm x unit template, for both parts.
            GalleryEntry old = out.get(row);
            float[] a = vectors.get(row), b = added.vector(j);
            double wa = old.images() * old.meanNorm(), wb = e.images() * e.meanNorm();
            float[] sum = new float[dimension];
            for (int i = 0; i < dimension; i++) sum[i] = (float) (wa * a[i] + wb * b[i]);
            int images = old.images() + e.images();
            double mean = Vectors.norm(sum, 0, dimension) / images;
            out.set(row, new GalleryEntry(nextId++, old.identity(), old.source(), images, Math.min(1, mean)));
            vectors.set(row, Vectors.normalised(sum, e.identity()));
        }
        return new Gallery(fingerprint, flip, dimension, pooled, out, pack(vectors, dimension));
    }

    /** This gallery without every entry of {@code identities}; an identity not in it, or removing all, is an error. */
    public Gallery without(Collection<String> identities) {
        Set<String> gone = new LinkedHashSet<>(identities);
        Set<String> present = new java.util.HashSet<>(identities());
        List<String> unknown = gone.stream().filter(i -> !present.contains(i)).toList();
        if (!unknown.isEmpty()) throw new IllegalArgumentException("not in the gallery: " + String.join(", ", unknown));
        List<GalleryEntry> kept = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (gone.contains(entries.get(i).identity())) continue;
            kept.add(entries.get(i));
            vectors.add(vector(i));
        }
        if (kept.isEmpty()) throw new IllegalArgumentException("removing " + gone.size() + " identities would leave the gallery empty; delete the folder instead");
        return new Gallery(fingerprint, flip, dimension, pooled, kept, pack(vectors, dimension));
    }

    /** The id the next added entry gets. */
    long nextId() {
        long max = -1;
        for (GalleryEntry e : entries) max = Math.max(max, e.id());
        return max + 1;
    }

    static float[][] pack(List<float[]> vectors, int dimension) {
        int n = vectors.size();
        float[][] blocks = new float[(n + BLOCK - 1) / BLOCK][];
        for (int b = 0; b < blocks.length; b++) {
            int rows = Math.min(BLOCK, n - b * BLOCK);
            blocks[b] = new float[rows * dimension];
            for (int r = 0; r < rows; r++) System.arraycopy(vectors.get(b * BLOCK + r), 0, blocks[b], r * dimension, dimension);
        }
        return blocks;
    }

    @Override
    public String toString() {
        return "Gallery[" + size() + " x " + dimension + (pooled ? ", pooled" : "") + ", " + identities().size() + " identities, model "
            + ModelFingerprint.shortForm(fingerprint) + "]";
    }

    /** Collects embeddings; normalises each, and pools them per identity when asked. */
    public static final class Builder {
        private final String fingerprint;
        private final String flip;
        private final int dimension;
        private boolean pooled;
        private final Map<String, List<Integer>> rowsOf = new LinkedHashMap<>();
        private final List<String> sources = new ArrayList<>();
        private final List<float[]> vectors = new ArrayList<>();

        private Builder(String fingerprint, String flip, int dimension) {
            if (fingerprint == null || fingerprint.isBlank()) throw new IllegalArgumentException("a gallery needs the fingerprint of the model that embedded it");
            if (dimension <= 0) throw new IllegalArgumentException("embedding dimension must be positive, got " + dimension);
            this.fingerprint = fingerprint;
            this.flip = flip;
            this.dimension = dimension;
        }

        /** One template per identity: the mean of its normalised features (IJB-B/C template pooling). */
        public Builder pooled(boolean pooled) {
            this.pooled = pooled;
            return this;
        }

        public Builder add(String identity, String source, float[] embedding) {
            GalleryEntry.requireName(identity, "identity");
            GalleryEntry.requireName(source, "source");
            if (embedding.length != dimension) throw new IllegalArgumentException(source + ": embedding of " + embedding.length + " values, expected " + dimension);
            vectors.add(Vectors.normalised(embedding, source));
            sources.add(source);
            rowsOf.computeIfAbsent(identity, k -> new ArrayList<>()).add(vectors.size() - 1);
            return this;
        }

        public int size() { return vectors.size(); }

        public Gallery build() {
            List<GalleryEntry> entries = new ArrayList<>();
            List<float[]> out = new ArrayList<>();
            long id = 0;
            if (!pooled) {
                String[] identityOf = new String[vectors.size()];
                rowsOf.forEach((identity, rows) -> rows.forEach(r -> identityOf[r] = identity));
                for (int r = 0; r < vectors.size(); r++) {
                    entries.add(new GalleryEntry(id++, identityOf[r], sources.get(r), 1, 1));
                    out.add(vectors.get(r));
                }
            } else {
                for (Map.Entry<String, List<Integer>> e : rowsOf.entrySet()) {
                    List<float[]> members = new ArrayList<>();
                    for (int r : e.getValue()) members.add(vectors.get(r));
                    int n = members.size();
                    // the length of the mean of unit features, kept so that a later merge pools exactly (see plus)
                    float[] sum = new float[dimension];
                    for (float[] m : members) for (int i = 0; i < dimension; i++) sum[i] += m[i];
                    double meanNorm = Vectors.norm(sum, 0, dimension) / n;
                    if (!(meanNorm > 1e-6)) throw new IllegalArgumentException(e.getKey() + ": its " + n + " images' features cancel out; the template has no direction");
                    entries.add(new GalleryEntry(id++, e.getKey(), sources.get(e.getValue().get(0)), n, Math.min(1, meanNorm)));
                    out.add(TemplatePooling.pool(members)); // the IJB template the identification evaluation builds
                }
            }
            return new Gallery(fingerprint, flip, dimension, pooled, entries, pack(out, dimension));
        }
    }
}
