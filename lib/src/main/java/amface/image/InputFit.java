package amface.image;

import java.util.Locale;

/**
 * The one rule by which an image is brought to a model's input size, for training, verification during training and
 * embedding alike: an image of the input size is used as it is; one whose aspect ratio agrees with the input's within
 * {@value #ASPECT_TOLERANCE} (relative) is resized (112x96 chips for a 56x48 model); any other is refused naming
 * both sizes, since stretching would distort the face (112x112 chips into a 112x96 model). Sizes are written
 * HxW, as {@code amface align --size} and {@code --input} take them.
 * <pre>{@code
 * RgbImage x = InputFit.apply(img, 96, 112, file.toString());   // width, height of the model's input
 * String how = InputFit.describe(96, 112, 48, 56);              // "resized from 112x96 to 56x48 (same aspect ratio)"
 * }</pre>
 */
public final class InputFit {
    /** How far two aspect ratios may differ, relative, and still count as the same. */
    public static final double ASPECT_TOLERANCE = 0.05;

    private InputFit() { }

    /** Whether an image of {@code imageWidth x imageHeight} can be brought to {@code width x height} (equal or resizable). */
    public static boolean fits(int imageWidth, int imageHeight, int width, int height) {
        if (imageWidth == width && imageHeight == height) return true;
        double a = (double) imageWidth / imageHeight;
        double b = (double) width / height;
        return Math.abs(a - b) <= ASPECT_TOLERANCE * b;
    }

    /**
     * What happens to images of {@code imageWidth x imageHeight} for a {@code width x height} input: {@code "used as
     * they are"}, {@code "resized from HxW to HxW (same aspect ratio)"}, or null when they are refused.
     */
    public static String describe(int imageWidth, int imageHeight, int width, int height) {
        if (imageWidth == width && imageHeight == height) return "used as they are (" + size(width, height) + ")";
        if (!fits(imageWidth, imageHeight, width, height)) return null;
        return "resized from " + size(imageWidth, imageHeight) + " to " + size(width, height) + " (same aspect ratio)";
    }

    /** Why images of this size are refused for this input (both sizes named), for a message after a file name. */
    public static String refusal(int imageWidth, int imageHeight, int width, int height) {
        return String.format(Locale.ROOT, "is %s (HxW) but the model takes %s: the aspect ratios differ (%.2f vs %.2f), and resizing "
            + "would distort the face; align the images at the model's size (amface align --size %s)",
            size(imageWidth, imageHeight), size(width, height), (double) imageWidth / imageHeight, (double) width / height, size(width, height));
    }

    /** {@code img} at {@code width x height} by the rule; a refused image is a {@link BadImageException} naming {@code name}. */
    public static RgbImage apply(RgbImage img, int width, int height, String name) throws BadImageException {
        if (img.width() == width && img.height() == height) return img;
        if (!fits(img.width(), img.height(), width, height)) throw new BadImageException(name, refusal(img.width(), img.height(), width, height));
        return ImageTransforms.resize(img, width, height);
    }

    private static String size(int width, int height) {
        return height + "x" + width;
    }
}
