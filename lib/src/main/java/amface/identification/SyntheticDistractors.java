package amface.identification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import amface.data.SyntheticFaces;
import amface.eval.Embeddings;
import amface.eval.EmbeddingExtractor;
import amface.eval.FlipMode;
import amface.nn.Embedder;

/**
 * Distractors painted and embedded on demand, one synthetic person per distractor ({@link SyntheticFaces}, photo 0
 * of identities {@code first}, {@code first + 1}, ...), a block at a time: memory stays one block whatever the
 * count. Painted faces are easier to reject than real ones (no real person resembles them closely), so a curve
 * extended with them is an optimistic bound, reported apart from the real distractors. Use a seed the model did not
 * train on (the demo trains on seed 1).
 */
public final class SyntheticDistractors implements DistractorSource {
    /**
     * The painted distractors amface evaluates with unless told otherwise ({@code ident-eval}'s defaults, notebook
     * 05): faces of medium difficulty, of a seed no amface recipe trains on (the demo trains on 1), embedded a block
     * of {@link #BATCH} at a time. Part of a {@link CachedDistractors} key, so the two share a cache only when equal.
     */
    public static final long SEED = 7;
    public static final double DIFFICULTY = 0.5;
    public static final int BATCH = 256;
    private final SyntheticFaces faces;
    private final EmbeddingExtractor extractor;
    private final int count;
    private int next;

    /**
     * {@code count} distractors painted at the embedder's input size with {@code faces}' seed and difficulty,
     * embedded with the model's {@code flip} mode.
     */
    public SyntheticDistractors(Embedder embedder, FlipMode flip, long seed, double difficulty, int count, int batchSize) {
        Objects.requireNonNull(embedder, "embedder");
        if (count < 0) throw new IllegalArgumentException("count must be at least 0, got " + count);
        this.faces = SyntheticFaces.builder().seed(seed).difficulty(difficulty).size(embedder.inputWidth(), embedder.inputHeight()).build();
        this.extractor = EmbeddingExtractor.of(embedder).withFlip(flip).withBatchSize(batchSize);
        this.count = count;
    }

    /** Distractors painted so far (or skipped). */
    public int painted() { return next; }

    /** Distractors still to come. */
    public int remaining() { return count - next; }

    /** Skips the next {@code n} distractors without painting them (their embeddings come from elsewhere, e.g. a cache). */
    public void skip(int n) {
        if (n < 0) throw new IllegalArgumentException("cannot skip " + n);
        next = Math.min(count, next + n);
    }

    @Override
    public float[][] next(int max) throws IOException {
        int n = Math.min(max, count - next);
        if (n <= 0) return new float[0][];
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(SyntheticFaces.identityName(next + i));
        int first = next;
        Embeddings e = extractor.extract(names, name -> faces.render(Integer.parseInt(name.substring(2)), 0));
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = TemplatePooling.normalise(e.get(SyntheticFaces.identityName(first + i)));
        next += n;
        return out;
    }
}
