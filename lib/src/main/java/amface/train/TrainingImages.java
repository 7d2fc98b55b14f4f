package amface.train;

import java.util.concurrent.atomic.AtomicReferenceArray;

import amface.data.IdentityDataset;
import amface.image.BadImageException;
import amface.image.InputFit;
import amface.image.RgbImage;

/**
 * The training images at the model's input size, read on demand (from any thread) and optionally kept in memory.
 * Images of another size are fitted by {@link InputFit}: resized when the aspect ratios agree, refused otherwise.
 */
final class TrainingImages {
    private final IdentityDataset dataset;
    private final int width;
    private final int height;
    private final AtomicReferenceArray<RgbImage> cache;

    TrainingImages(IdentityDataset dataset, int height, int width, boolean cache) {
        this.dataset = dataset;
        this.width = width;
        this.height = height;
        this.cache = cache ? new AtomicReferenceArray<>(dataset.size()) : null;
    }

    /** Whether caching is worth it: decoded images would take at most a quarter of the heap. */
    static boolean fitsInMemory(int images, int height, int width) {
        return (long) images * height * width * 3 < Runtime.getRuntime().maxMemory() / 4;
    }

    int size() { return dataset.size(); }

    int label(int index) { return dataset.get(index).label(); }

    RgbImage image(int index) throws BadImageException {
        if (cache != null) {
            RgbImage hit = cache.get(index);
            if (hit != null) return hit;
        }
        IdentityDataset.Entry e = dataset.get(index);
        RgbImage img = dataset.read(e);
        img = InputFit.apply(img, width, height, dataset.file(e).toString());
        if (cache != null) cache.set(index, img);
        return img;
    }
}
