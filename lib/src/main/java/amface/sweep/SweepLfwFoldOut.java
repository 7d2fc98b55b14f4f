package amface.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import amface.data.DatasetException;
import amface.data.FoldOutSplit;
import amface.data.IdentityDataset;
import amface.data.LfwPairs;
import amface.data.Progress;
import amface.eval.PairsCheck;

/**
 * Protocol (b), LFW fold-out on real faces: for fold k, train on every identity of the aligned LFW tree that has at
 * least {@code sweep.minImages} images and appears in no pair of fold k, and test on fold k's pairs with the
 * evaluator's 10-fold threshold protocol applied within them (AUC and EER need no threshold).
 */
final class SweepLfwFoldOut implements SweepProtocol {
    private final SweepConfig config;
    private final LfwPairs pairs;
    private IdentityDataset all;

    SweepLfwFoldOut(SweepConfig config) throws DatasetException {
        this.config = config;
        this.pairs = LfwPairs.read(config.pairs());
        for (int f : config.folds()) {
            if (f > pairs.foldCount()) throw new IllegalArgumentException("sweep.folds: fold " + f + " asked, " + config.pairs() + " has " + pairs.foldCount());
        }
    }

    @Override
    public String name() { return SweepConfig.LFW_FOLDOUT; }

    @Override
    public List<Integer> folds() {
        if (!config.folds().isEmpty()) return config.folds();
        List<Integer> all = new ArrayList<>();
        for (int f = 1; f <= pairs.foldCount(); f++) all.add(f);
        return all;
    }

    @Override
    public String dataIdentity(int fold) {
        return String.format(Locale.ROOT, "lfw-foldout pairs=%s fold=%d minImages=%d", config.pairs().getFileName(), fold, config.minImages());
    }

    @Override
    public Data data(int fold, Progress progress) throws DatasetException, IOException {
        FoldOutSplit split = split(fold);
        IdentityDataset train = split.trainingSet(dataset());
        if (train.identityCount() < 2) {
            throw new DatasetException(config.data() + ": fold " + fold + " leaves " + train.identityCount() + " training identities with >= "
                + config.minImages() + " images; lower sweep.minImages");
        }
        PairsCheck test = PairsCheck.of(LfwPairs.of(List.of(balanced(split.testPairs()))), config.pairsRoot(), config.pairsExtension());
        return new Data(train, test, String.format(Locale.ROOT, "LFW fold %d: %d training identities with >= %d images, %d images; %d test pairs",
            fold, train.identityCount(), config.minImages(), train.size(), test.size()));
    }

    /** Fold {@code fold}'s split over the identities of the aligned tree with at least minImages images. */
    FoldOutSplit split(int fold) throws DatasetException {
        if (fold < 1 || fold > pairs.foldCount()) throw new IllegalArgumentException("fold " + fold + " of " + pairs.foldCount() + " (1-based)");
        return FoldOutSplit.of(pairs, dataset().minImagesPerIdentity(config.minImages()), fold - 1);
    }

    private synchronized IdentityDataset dataset() throws DatasetException {
        if (all == null) all = IdentityDataset.scan(config.data());
        return all;
    }

    /**
     * The pairs with same and different ones alternating. A pairs-file fold lists all its same pairs first; the
     * evaluator's 10 folds are contiguous, so without this each would hold one kind only.
     */
    static List<LfwPairs.Pair> balanced(List<LfwPairs.Pair> pairs) {
        List<LfwPairs.Pair> same = pairs.stream().filter(LfwPairs.Pair::same).toList();
        List<LfwPairs.Pair> different = pairs.stream().filter(p -> !p.same()).toList();
        List<LfwPairs.Pair> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < Math.max(same.size(), different.size()); i++) {
            if (i < same.size()) out.add(same.get(i));
            if (i < different.size()) out.add(different.get(i));
        }
        return out;
    }
}
