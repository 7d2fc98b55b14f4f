package amface.data;

import java.util.List;

import amface.image.BadImageException;

/** A dataset scan found images that cannot be read: all of them are listed, the message shows the first 20. */
public class BadImagesException extends DatasetException {
    private final List<BadImageException> problems;

    public BadImagesException(String root, int scanned, List<BadImageException> problems) {
        super(DatasetException.listing(root + ": " + problems.size() + " of " + scanned + " images cannot be read"
            + " (fix or delete them, or skip bad images):", problems.stream().map(Throwable::getMessage).toList(), 20));
        this.problems = List.copyOf(problems);
    }

    /** Every bad image, in dataset order. */
    public List<BadImageException> problems() { return problems; }
}
