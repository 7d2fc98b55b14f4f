package amface.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import amface.data.DatasetException;
import amface.data.LfwPairs;
import amface.data.Progress;
import amface.nn.Embedder;

/**
 * A model checked on verification pairs in a few calls, as the notebooks do it: the pairs of an LFW-format file
 * whose images (aligned chips, any one extension) lie under a root; embed each image and its mirror once; then
 * evaluate any {@link FlipMode} with the standard 10-fold protocol.
 * <pre>{@code
 * PairsCheck lfw = PairsCheck.of(pairsFile, alignedRoot, "jpg");
 * OriginalAndMirrored e = lfw.embed(model, LiveProgress.create());
 * VerificationResult r = lfw.evaluate(e, FlipMode.MEAN);
 * Map<String, VerificationResult> modes = lfw.evaluateAll(e);   // none, sum, mean, concat
 * }</pre>
 */
public final class PairsCheck {
    private final LfwPairs pairs;
    private final Path root;
    private final String extension;
    private VerificationEvaluator evaluator = VerificationEvaluator.standard();

    private PairsCheck(LfwPairs pairs, Path root, String extension) {
        this.pairs = pairs;
        this.root = root;
        this.extension = extension.startsWith(".") ? extension.substring(1) : extension;
    }

    /** The pairs of {@code pairsFile}, images under {@code root} with {@code extension} (jpg, png). Missing images are listed at once. */
    public static PairsCheck of(Path pairsFile, Path root, String extension) throws DatasetException {
        return of(LfwPairs.read(pairsFile), root, extension);
    }

    /** Pairs made in code (a subset of a file's folds, say). */
    public static PairsCheck of(LfwPairs pairs, Path root, String extension) throws DatasetException {
        PairsCheck c = new PairsCheck(pairs, root, extension);
        pairs.resolve(root, c.extension);
        return c;
    }

    /** Evaluates with {@code evaluator} instead of the standard one (10 folds, squared L2, VAL at FAR 1e-3). */
    public PairsCheck with(VerificationEvaluator evaluator) {
        this.evaluator = evaluator;
        return this;
    }

    public LfwPairs pairs() { return pairs; }

    public Path root() { return root; }

    /** The images' extension, without the dot. */
    public String extension() { return extension; }

    public int size() { return pairs.pairs().size(); }

    /** The distinct images the pairs name, relative to the root, with this check's extension. */
    public List<String> images() {
        List<String> out = new ArrayList<>();
        for (String p : EmbeddingExtractor.imagesOf(pairs.pairs())) out.add(p.substring(0, p.lastIndexOf('.') + 1) + extension);
        return out;
    }

    /** Embeds every image and its mirror once, in batches, reporting to {@code progress}. */
    public OriginalAndMirrored embed(Embedder model, Progress progress) throws IOException {
        EmbeddingExtractor extractor = EmbeddingExtractor.of(model).withProgress(progress == null ? Progress.NONE : progress);
        // Images of another size are fitted by the extractor (InputFit), the rule the trainer uses too.
        return extractor.extractOriginalAndMirrored(images(), rel -> amface.image.ImageReader.read(root.resolve(rel)));
    }

    /** The pairs matched with {@code flip}'s embeddings. */
    public VerificationPairs matched(OriginalAndMirrored embeddings, FlipMode flip) {
        return matched(embeddings.combine(flip));
    }

    public VerificationPairs matched(Embeddings embeddings) {
        return VerificationPairs.match(pairs.pairs(), extension, embeddings, false, root.toString());
    }

    public VerificationResult evaluate(OriginalAndMirrored embeddings, FlipMode flip) {
        return evaluator.evaluate(matched(embeddings, flip));
    }

    /** Every flip mode, in declaration order (none, sum, mean, concat), keyed by its CLI name. */
    public Map<String, VerificationResult> evaluateAll(OriginalAndMirrored embeddings) {
        Map<String, VerificationResult> out = new LinkedHashMap<>();
        for (FlipMode f : FlipMode.values()) out.put(f.cliName(), evaluate(embeddings, f));
        return out;
    }

    /** Embeds and evaluates in one go with {@code flip}. */
    public VerificationResult evaluate(Embedder model, FlipMode flip, Progress progress) throws IOException {
        return evaluate(embed(model, progress), flip);
    }
}
