package amface.image;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images to float32 network input with the reference normalisation {@code (x - 127.5) / 128}, which maps 0..255
 * to [-0.996, 0.996], or with a model's own {@link PixelNormalisation}. The reference values are exact in float
 * (both steps are exact in binary), so any implementation agrees bit for bit. A data loader uses {@link #fill} to
 * write into its own reusable batch buffer.
 */
public final class ImageTensors {
    private static final float[] NORMALISED = PixelNormalisation.AMFACE.table();

    private ImageTensors() { }

    /** The normalised value of an 8-bit sample {@code v} (0..255). */
    public static float normalise(int v) {
        return NORMALISED[v & 0xff];
    }

    /** Floats one image of this size takes in a batch buffer: {@code 3 * height * width}. */
    public static int floatsPerImage(int height, int width) {
        return 3 * height * width;
    }

    /** A new float32 tensor of {@code images} (all the same size) in {@code layout}, shape from {@link TensorLayout#shape}. */
    public static INDArray toTensor(List<RgbImage> images, TensorLayout layout) {
        return toTensor(images, layout, false);
    }

    /** As {@link #toTensor(List, TensorLayout)}, every image mirrored left to right when {@code flip} is true. */
    public static INDArray toTensor(List<RgbImage> images, TensorLayout layout, boolean flip) {
        return toTensor(images, layout, flip, PixelNormalisation.AMFACE);
    }

    /** As {@link #toTensor(List, TensorLayout, boolean)} with the given normalisation and channel order. */
    public static INDArray toTensor(List<RgbImage> images, TensorLayout layout, boolean flip, PixelNormalisation normalisation) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to convert");
        int h = images.get(0).height();
        int w = images.get(0).width();
        int per = floatsPerImage(h, w);
        float[] data = new float[Math.multiplyExact(per, images.size())];
        float[] lut = normalisation.table();
        boolean bgr = normalisation.swapsRedAndBlue();
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height() + ", image 0 is " + w + "x" + h
                    + ": a batch needs one size (resize or align first)");
            }
            fill(img, layout, flip, lut, bgr, data, i * per);
        }
        return Nd4j.create(data, layout.shape(images.size(), h, w), 'c');
    }

    /**
     * Writes the normalised pixels of {@code img} into {@code dst} from {@code offset} on ({@link #floatsPerImage}
     * floats) in {@code layout}, mirrored left to right when {@code flip} is true. Allocates nothing.
     */
    public static void fill(RgbImage img, TensorLayout layout, boolean flip, float[] dst, int offset) {
        fill(img, layout, flip, NORMALISED, false, dst, offset);
    }

    /** As {@link #fill(RgbImage, TensorLayout, boolean, float[], int)} with the given normalisation. */
    public static void fill(RgbImage img, TensorLayout layout, boolean flip, PixelNormalisation normalisation, float[] dst, int offset) {
        fill(img, layout, flip, normalisation.table(), normalisation.swapsRedAndBlue(), dst, offset);
    }

    /** {@code lut}: the normalised value of each sample; {@code bgr}: write the channels in blue, green, red order. */
    private static void fill(RgbImage img, TensorLayout layout, boolean flip, float[] lut, boolean bgr, float[] dst, int offset) {
        int w = img.width();
        int h = img.height();
        int plane = h * w;
        if (offset < 0 || offset > dst.length - 3 * plane) {
            throw new IllegalArgumentException("a " + w + "x" + h + " image needs " + 3 * plane + " floats at offset " + offset
                + ", the buffer has " + dst.length);
        }
        byte[] src = img.rgb();
        if (bgr) src = swapRedAndBlue(src);
        if (layout == TensorLayout.NCHW) {
            int g = offset + plane;
            int b = g + plane;
            for (int y = 0; y < h; y++) {
                int s = y * w * 3;
                int d = y * w;
                if (!flip) {
                    for (int x = 0; x < w; x++, s += 3, d++) {
                        dst[offset + d] = lut[src[s] & 0xff];
                        dst[g + d] = lut[src[s + 1] & 0xff];
                        dst[b + d] = lut[src[s + 2] & 0xff];
                    }
                } else {
                    for (int x = w - 1 + d; x >= d; x--, s += 3) {
                        dst[offset + x] = lut[src[s] & 0xff];
                        dst[g + x] = lut[src[s + 1] & 0xff];
                        dst[b + x] = lut[src[s + 2] & 0xff];
                    }
                }
            }
        } else if (!flip) {
            for (int i = 0; i < src.length; i++) dst[offset + i] = lut[src[i] & 0xff];
        } else {
            for (int y = 0; y < h; y++) {
                int row = y * w * 3;
                for (int x = 0; x < w; x++) {
                    int s = row + x * 3;
                    int d = offset + row + (w - 1 - x) * 3;
                    dst[d] = lut[src[s] & 0xff];
                    dst[d + 1] = lut[src[s + 1] & 0xff];
                    dst[d + 2] = lut[src[s + 2] & 0xff];
                }
            }
        }
    }

    /** A copy with the first and third byte of every pixel exchanged (RGB <-> BGR). */
    private static byte[] swapRedAndBlue(byte[] rgb) {
        byte[] out = rgb.clone();
        for (int i = 0; i < out.length; i += 3) {
            out[i] = rgb[i + 2];
            out[i + 2] = rgb[i];
        }
        return out;
    }
}
