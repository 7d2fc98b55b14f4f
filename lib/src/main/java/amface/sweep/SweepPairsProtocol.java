package amface.sweep;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import amface.data.DatasetException;
import amface.data.IdentityDataset;
import amface.data.Progress;
import amface.eval.PairsCheck;

/**
 * Protocol (c): any dataset ({@code sweep.data}, identities with at least {@code sweep.minImages} images) and any
 * pairs file, e.g. CASIA-WebFace trained and LFW tested. Keeping test people out of training is the user's choice
 * of data.
 */
final class SweepPairsProtocol implements SweepProtocol {
    private final SweepConfig config;
    private Data data;

    SweepPairsProtocol(SweepConfig config) {
        this.config = config;
    }

    @Override
    public String name() { return SweepConfig.PAIRS; }

    @Override
    public List<Integer> folds() { return List.of(0); }

    @Override
    public String dataIdentity(int fold) {
        // folder and file names, not paths: the same data elsewhere keeps its results
        return String.format(Locale.ROOT, "pairs data=%s pairs=%s minImages=%d", config.data().getFileName(), config.pairs().getFileName(), config.minImages());
    }

    @Override
    public synchronized Data data(int fold, Progress progress) throws DatasetException, IOException {
        if (data == null) {
            IdentityDataset all = IdentityDataset.scan(config.data());
            IdentityDataset train = all.minImagesPerIdentity(config.minImages());
            if (train.identityCount() < 2) {
                throw new DatasetException(config.data() + ": " + train.identityCount() + " identities have at least " + config.minImages()
                    + " images (of " + all.identityCount() + "); lower sweep.minImages");
            }
            PairsCheck test = PairsCheck.of(config.pairs(), config.pairsRoot(), config.pairsExtension());
            data = new Data(train, test, String.format(Locale.ROOT, "%d identities with >= %d images, %d images; %d pairs of %s",
                train.identityCount(), config.minImages(), train.size(), test.size(), config.pairs().getFileName()));
        }
        return data;
    }
}
