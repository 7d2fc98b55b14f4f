package amface.gallery;

/**
 * One searchable row of a {@link Gallery}: a face (or, pooled, an identity's template) with the identity it
 * belongs to and where it came from.
 *
 * @param id       stable number of the row, kept across {@code add} and {@code remove} (the HNSW index refers to it)
 * @param identity the person's name (the folder name in an aligned dataset)
 * @param source   the image it was embedded from (relative to the dataset root), or a pooled template's first image
 * @param images   how many images were pooled into it (1 when not pooled)
 * @param meanNorm length of the pooled mean of normalised features before it was normalised again (1 when not
 *                 pooled): with {@code images} it gives back the exact sum, so that merging more images later
 *                 gives the same template as pooling them all at once
 */
public record GalleryEntry(long id, String identity, String source, int images, double meanNorm) {
    public GalleryEntry {
        requireName(identity, "identity");
        requireName(source, "source");
        if (images < 1) throw new IllegalArgumentException("entry of " + identity + ": images must be at least 1, got " + images);
        if (!(meanNorm > 0 && meanNorm <= 1 + 1e-6)) throw new IllegalArgumentException("entry of " + identity + ": mean norm must be in (0, 1], got " + meanNorm);
    }

    /** Identities and sources are stored one per line, tab-separated: no tabs or line breaks in them. */
    static void requireName(String s, String what) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty " + what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') throw new IllegalArgumentException(what + " '" + s.replace("\t", "\\t").replace("\n", "\\n") + "' contains a tab or line break");
        }
    }
}
