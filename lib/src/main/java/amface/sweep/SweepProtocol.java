package amface.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import amface.io.Sha256;
import amface.data.DatasetException;
import amface.data.IdentityDataset;
import amface.data.Progress;
import amface.eval.PairsCheck;

/**
 * Where a sweep's runs get their training images and test pairs:
 * {@code synthetic} (built-in faces, held-out people), {@code lfw-foldout} (LFW fold k's pairs tested, every other
 * LFW identity trained on) or {@code pairs} (any dataset and any pairs file).
 */
public interface SweepProtocol {

    /** What one run trains on and is tested on. */
    record Data(IdentityDataset train, PairsCheck test, String description) { }

    /** The protocol's name in {@code sweep.protocol}. */
    String name();

    /** The 1-based folds to run; {@code [0]} when every run tests on all the pairs. */
    List<Integer> folds();

    /** What decides fold {@code fold}'s data, for the run's identity (no absolute paths). */
    String dataIdentity(int fold);

    /** The training set and test pairs of {@code fold}. */
    Data data(int fold, Progress progress) throws DatasetException, IOException;

    /** The protocol {@code config} asks for; synthetic faces are written under {@code out/data/synthetic-HASH}. */
    static SweepProtocol of(SweepConfig config, Path out) throws DatasetException {
        return switch (config.protocol()) {
            // one folder per setting: another sweep.synthetic.* in the same sweep folder gets its own faces
            case SweepConfig.SYNTHETIC -> new SweepSyntheticProtocol(config.synthetic(), out.resolve("data")
                .resolve("synthetic-" + Sha256.hex(config.synthetic().identity()).substring(0, 8)));
            case SweepConfig.LFW_FOLDOUT -> new SweepLfwFoldOut(config);
            case SweepConfig.PAIRS -> new SweepPairsProtocol(config);
            default -> throw new IllegalArgumentException("unknown protocol " + config.protocol());
        };
    }
}
