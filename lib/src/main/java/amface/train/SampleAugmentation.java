package amface.train;

import java.io.Serializable;
import java.util.SplittableRandom;

import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.ImageTensors;
import amface.image.InputFit;
import amface.image.PixelNormalisation;
import amface.image.RandomCrop;
import amface.image.RgbImage;
import amface.image.TensorLayout;

/**
 * How a training image becomes sample {@code p} of the batch stream: fitted to the model's input
 * ({@link InputFit}), cropped and mirrored as a generator seeded by (seed, p) decides, normalised into NHWC floats.
 * The trainer's loader and engines whose workers read the images themselves ({@code amface.spark}) share it, so a
 * batch has the same bytes wherever it is built. Serialisable: it travels to Spark executors.
 *
 * <pre>{@code
 * SampleAugmentation a = steps.augmentation();
 * a.fill(a.fit(bytes, "Name/0001.jpg"), p, features, i * a.floatsPerImage());
 * }</pre>
 */
public record SampleAugmentation(long seed, int cropPadding, boolean mirror, int height, int width, PixelNormalisation normalisation)
        implements Serializable {

    /** Floats one image takes in a batch. */
    public int floatsPerImage() { return ImageTensors.floatsPerImage(height, width); }

    /** An encoded image decoded and fitted to the model's input; a bad or misfitting image is named. */
    public RgbImage fit(byte[] encoded, String name) throws BadImageException {
        return InputFit.apply(ImageReader.read(encoded, name), width, height, name);
    }

    /** Writes sample {@code p} (a fitted image) into {@code features} from {@code offset} on, cropped and mirrored. */
    public void fill(RgbImage fitted, long p, float[] features, int offset) {
        SplittableRandom rng = new SplittableRandom(BatchLoader.mix(seed, p));
        RgbImage img = cropPadding > 0 ? new RandomCrop(cropPadding).apply(fitted, rng) : fitted;
        boolean flip = mirror && rng.nextBoolean();
        ImageTensors.fill(img, TensorLayout.NHWC, flip, normalisation, features, offset);
    }
}
