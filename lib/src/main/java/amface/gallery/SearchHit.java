package amface.gallery;

/**
 * One result of a search: the gallery entry and its cosine similarity with the probe (1 = same direction).
 *
 * @param rank  1 for the best match
 * @param entry the gallery row found
 * @param score cosine similarity of the normalised probe and gallery vectors
 */
public record SearchHit(int rank, GalleryEntry entry, double score) {
    public String identity() { return entry.identity(); }
}
