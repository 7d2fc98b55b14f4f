package amface.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of embeddings keyed by image path relative to the dataset root ({@code Name/Name_0001.jpg}), in insertion
 * order, all of one dimension and finite. Immutable; built with {@link #builder(int)}.
 */
public final class Embeddings {
    private final int dimension;
    private final Map<String, float[]> byPath;

    private Embeddings(int dimension, Map<String, float[]> byPath) {
        this.dimension = dimension;
        this.byPath = Collections.unmodifiableMap(byPath);
    }

    public static Builder builder(int dimension) {
        return new Builder(dimension);
    }

    public int dimension() { return dimension; }

    public int size() { return byPath.size(); }

    /** The paths in insertion order. */
    public List<String> paths() { return List.copyOf(byPath.keySet()); }

    public boolean contains(String path) { return byPath.containsKey(path); }

    /** The embedding of {@code path} (a copy), or null when there is none. */
    public float[] get(String path) {
        float[] e = byPath.get(path);
        return e == null ? null : e.clone();
    }

    /** The stored array itself, for the evaluator's inner loops; callers must not modify it. */
    float[] view(String path) { return byPath.get(path); }

    @Override
    public String toString() {
        return "Embeddings[" + size() + " x " + dimension + "]";
    }

    /** Collects embeddings; rejects a wrong length, a NaN or infinite value, or a repeated path. */
    public static final class Builder {
        private final int dimension;
        private final Map<String, float[]> byPath = new LinkedHashMap<>();

        private Builder(int dimension) {
            if (dimension <= 0) throw new IllegalArgumentException("embedding dimension must be positive, got " + dimension);
            this.dimension = dimension;
        }

        public Builder add(String path, float[] embedding) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(embedding, "embedding");
            if (path.isEmpty()) throw new IllegalArgumentException("empty image path");
            if (embedding.length != dimension) {
                throw new IllegalArgumentException("embedding of " + path + " has " + embedding.length + " values, expected " + dimension);
            }
            for (int i = 0; i < embedding.length; i++) {
                if (!Float.isFinite(embedding[i])) {
                    throw new IllegalArgumentException("embedding of " + path + " has " + embedding[i] + " at e" + i);
                }
            }
            if (byPath.putIfAbsent(path, embedding.clone()) != null) {
                throw new IllegalArgumentException("two embeddings for " + path);
            }
            return this;
        }

        public int size() { return byPath.size(); }

        public Embeddings build() {
            return new Embeddings(dimension, new LinkedHashMap<>(byPath));
        }
    }
}
