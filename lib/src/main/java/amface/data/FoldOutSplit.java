package amface.data;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The "fold-out" protocol on LFW: for fold {@code k}, train on every identity that appears in no pair of fold k
 * and test on fold k's pairs. Since LFW's folds have disjoint identities, no test person is seen in training.
 */
public record FoldOutSplit(int fold, Set<String> trainingIdentities, List<LfwPairs.Pair> testPairs) {

    public FoldOutSplit {
        trainingIdentities = java.util.Collections.unmodifiableSet(new TreeSet<>(trainingIdentities));
        testPairs = List.copyOf(testPairs);
    }

    /** The split for fold {@code k} (0-based) of {@code pairs}, over {@code allIdentities} (e.g. a dataset's names). */
    public static FoldOutSplit of(LfwPairs pairs, Collection<String> allIdentities, int k) {
        if (k < 0 || k >= pairs.foldCount()) throw new IllegalArgumentException("fold " + k + " of " + pairs.foldCount() + " (0-based)");
        Set<String> test = pairs.identities(k);
        Set<String> train = new LinkedHashSet<>(allIdentities);
        train.removeAll(test);
        return new FoldOutSplit(k, train, pairs.fold(k));
    }

    /** The split for fold {@code k} over the identities of {@code dataset}. */
    public static FoldOutSplit of(LfwPairs pairs, IdentityDataset dataset, int k) {
        return of(pairs, dataset.identities(), k);
    }

    /** The training part of {@code dataset}: its images of the training identities, relabelled 0..k-1. */
    public IdentityDataset trainingSet(IdentityDataset dataset) {
        return dataset.withIdentities(trainingIdentities);
    }
}
