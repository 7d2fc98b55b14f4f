package amface.image;

/**
 * Whether a decoded image can carry any information about a face: a tiny image (a 1x1 tracking pixel, an icon)
 * or one of a single colour (a blank frame) decodes fine, but resized to a face chip it becomes a uniform patch that
 * would teach a network nothing and embed as noise. Align, training and embedding refuse such images by name.
 */
public final class ImageContent {
    /** The smallest width and height accepted (MTCNN's smallest face window is 12 pixels). */
    public static final int MIN_SIDE = 8;

    private ImageContent() { }

    /** Why {@code img} carries no face information, or null when it may. */
    public static String whyUninformative(RgbImage img) {
        if (img.width() < MIN_SIDE || img.height() < MIN_SIDE) {
            return "too small to hold a face (" + img.width() + "x" + img.height() + " pixels, at least " + MIN_SIDE + "x" + MIN_SIDE + " needed)";
        }
        byte[] p = img.rgb();
        for (int i = 3; i < p.length; i++) {
            if (p[i] != p[i % 3]) return null;
        }
        return String.format(java.util.Locale.ROOT, "a blank image (every pixel is RGB %d,%d,%d)", p[0] & 0xff, p[1] & 0xff, p[2] & 0xff);
    }

    /** Throws a {@link BadImageException} naming {@code name} when {@code img} carries no face information. */
    public static RgbImage requireInformative(RgbImage img, String name) throws BadImageException {
        String why = whyUninformative(img);
        if (why != null) throw new BadImageException(name, why);
        return img;
    }
}
