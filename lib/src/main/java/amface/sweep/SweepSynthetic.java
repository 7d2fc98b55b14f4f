package amface.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import amface.data.Progress;
import amface.data.SyntheticFaces;

/**
 * The built-in synthetic faces a sweep trains and tests on ({@code sweep.synthetic.*}): {@code people} training
 * identities with {@code imagesPerPerson} photos each, and {@code pairs} verification pairs among
 * {@code heldOutPeople} other identities. Written once, deterministically, under the sweep's output folder.
 * Defaults are notebook 03's smoke settings.
 */
public record SweepSynthetic(int people, int imagesPerPerson, int heldOutPeople, int pairs, double difficulty, int height, int width,
                             long seed) {

    public static SweepSynthetic defaults() {
        return new SweepSynthetic(40, 12, 20, 400, 0.3, 56, 48, 1);
    }

    public SweepSynthetic {
        if (people < 2) throw new IllegalArgumentException("sweep.synthetic.people must be >= 2, got " + people);
        if (imagesPerPerson < 2) throw new IllegalArgumentException("sweep.synthetic.imagesPerPerson must be >= 2, got " + imagesPerPerson);
        if (heldOutPeople < 2) throw new IllegalArgumentException("sweep.synthetic.heldOutPeople must be >= 2, got " + heldOutPeople);
        if (pairs < 2 * SyntheticFaces.FOLDS) throw new IllegalArgumentException("sweep.synthetic.pairs must be >= " + 2 * SyntheticFaces.FOLDS + ", got " + pairs);
        if (!(difficulty >= 0 && difficulty <= 1)) throw new IllegalArgumentException("sweep.synthetic.difficulty must be in [0, 1], got " + difficulty);
        if (height < 16 || width < 16) throw new IllegalArgumentException("sweep.synthetic.size must be at least 16x16, got " + height + "x" + width);
    }

    public SweepSynthetic withSize(int height, int width) {
        return new SweepSynthetic(people, imagesPerPerson, heldOutPeople, pairs, difficulty, height, width, seed);
    }

    /** What decides the images: part of every run's identity (see {@link SweepRun#hash}). */
    public String identity() {
        return String.format(Locale.ROOT, "people=%d imagesPerPerson=%d heldOutPeople=%d pairs=%d difficulty=%s size=%dx%d seed=%d",
            people, imagesPerPerson, heldOutPeople, pairs, difficulty, height, width, seed);
    }

    /** Writes (or completes) the dataset under {@code root}. */
    public SyntheticFaces.Written write(Path root, Progress progress) throws IOException {
        return SyntheticFaces.builder().seed(seed).difficulty(difficulty).size(width, height).build()
            .writeDataset(root, people, imagesPerPerson, heldOutPeople, pairs, progress);
    }
}
