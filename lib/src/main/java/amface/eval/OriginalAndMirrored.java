package amface.eval;

/**
 * Raw embeddings of a set of images and of their mirror images (same paths), from which any {@link FlipMode}'s
 * embeddings follow without running the model again: how the notebooks put the four modes side by side.
 */
public record OriginalAndMirrored(Embeddings original, Embeddings mirrored) {

    public OriginalAndMirrored {
        if (!original.paths().equals(mirrored.paths())) throw new IllegalArgumentException("original and mirrored embeddings name different images");
    }

    /** The embeddings {@code flip} makes of each image. */
    public Embeddings combine(FlipMode flip) {
        Embeddings.Builder b = Embeddings.builder(flip.dimension(original.dimension()));
        for (String p : original.paths()) b.add(p, flip.combine(original.view(p), mirrored.view(p)));
        return b.build();
    }
}
