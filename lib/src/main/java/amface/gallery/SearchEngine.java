package amface.gallery;

import java.util.List;

/**
 * Top-k search of probe embeddings against a {@link Gallery} by cosine similarity. Probes need not be normalised
 * (engines normalise them); an all-zero probe is refused. Results are best first.
 */
public interface SearchEngine extends AutoCloseable {
    /** The {@code k} best gallery entries for each probe, best first (fewer when the gallery is smaller). */
    List<List<SearchHit>> search(float[][] probes, int k);

    /** The {@code k} best gallery entries for one probe. */
    default List<SearchHit> search(float[] probe, int k) {
        return search(new float[][] {probe}, k).get(0);
    }

    /** Short name for tables and messages: {@code exact (nd4j)}, {@code hnsw (M=16, beam 100, ef 100)}. */
    String name();

    /** Releases files or native memory; the default holds none. */
    @Override
    default void close() { }
}
