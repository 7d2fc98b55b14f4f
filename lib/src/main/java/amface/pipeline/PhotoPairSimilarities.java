package amface.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import amface.data.Progress;

/**
 * The similarity of every labelled photo pair through one {@link FacePipeline}: each photo embedded once; pairs
 * with a photo the pipeline cannot use (unreadable, no face) are left out and listed with the reason, so one bad
 * photo does not lose the rest.
 *
 * @param pairs        the pairs kept, in file order
 * @param similarity   their cosine similarities
 * @param same         their labels
 * @param unusable     each photo that could not be used, with the reason
 * @param skippedPairs how many pairs were left out for it
 */
public record PhotoPairSimilarities(List<PhotoPairs.Pair> pairs, double[] similarity, boolean[] same,
                                    Map<Path, String> unusable, int skippedPairs) {

    /** Embeds every photo of {@code photoPairs} with {@code pipeline}, showing progress per photo. */
    public static PhotoPairSimilarities of(FacePipeline pipeline, PhotoPairs photoPairs, Progress progress) {
        Map<Path, String> unusable = new LinkedHashMap<>();
        Map<Path, FaceEmbedding> embedded = pipeline.embedEach(photoPairs.photos(), progress, unusable);
        List<PhotoPairs.Pair> kept = new ArrayList<>();
        for (PhotoPairs.Pair p : photoPairs.pairs()) {
            if (embedded.containsKey(p.left()) && embedded.containsKey(p.right())) kept.add(p);
        }
        double[] sim = new double[kept.size()];
        boolean[] same = new boolean[kept.size()];
        for (int i = 0; i < sim.length; i++) {
            PhotoPairs.Pair p = kept.get(i);
            sim[i] = embedded.get(p.left()).similarity(embedded.get(p.right()));
            same[i] = p.same();
        }
        return new PhotoPairSimilarities(kept, sim, same, unusable, photoPairs.pairs().size() - kept.size());
    }
}
