package amface.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import amface.data.DatasetException;
import amface.data.IdentityDataset;
import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.eval.PairsCheck;

/** Protocol (a): the built-in synthetic faces, trained on some people and tested on pairs of held-out people. */
final class SweepSyntheticProtocol implements SweepProtocol {
    private final SweepSynthetic settings;
    private final Path root;
    private Data data;

    SweepSyntheticProtocol(SweepSynthetic settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    @Override
    public String name() { return SweepConfig.SYNTHETIC; }

    @Override
    public List<Integer> folds() { return List.of(0); }

    @Override
    public String dataIdentity(int fold) {
        return "synthetic " + settings.identity();
    }

    @Override
    public synchronized Data data(int fold, Progress progress) throws DatasetException, IOException {
        if (data == null) {
            // written once; a rerun finds the images there and only completes what a kill left out
            SyntheticFaces.Written w = settings.write(root, progress);
            IdentityDataset train = IdentityDataset.scan(w.train());
            PairsCheck test = PairsCheck.of(w.pairs(), w.heldOut(), "png");
            data = new Data(train, test, String.format(java.util.Locale.ROOT, "synthetic: %d identities, %d images; %d pairs of %d held-out people",
                train.identityCount(), train.size(), test.size(), settings.heldOutPeople()));
        }
        return data;
    }
}
