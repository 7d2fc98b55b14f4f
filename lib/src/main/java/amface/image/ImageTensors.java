package amface.image;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images to float32 network input with the reference normalisation {@code (x - 127.5) / 128}, which maps 0..255
 * to [-0.996, 0.996]. Values are exact in float (both steps are exact in binary), so any implementation agrees
 * bit for bit. A data loader uses {@link #fill} to write into its own reusable batch buffer.
 */
public final class ImageTensors {
    private static final float[] NORMALISED = new float[256];

    static {
        for (int v = 0; v < 256; v++) NORMALISED[v] = (v - 127.5f) / 128f;
    }

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
        if (images.isEmpty()) throw new IllegalArgumentException("no images to convert");
        int h = images.get(0).height();
        int w = images.get(0).width();
        int per = floatsPerImage(h, w);
        float[] data = new float[Math.multiplyExact(per, images.size())];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height() + ", image 0 is " + w + "x" + h
                    + ": a batch needs one size (resize or align first)");
            }
            fill(img, layout, flip, data, i * per);
        }
        return Nd4j.create(data, layout.shape(images.size(), h, w), 'c');
    }

    /**
     * Writes the normalised pixels of {@code img} into {@code dst} from {@code offset} on ({@link #floatsPerImage}
     * floats) in {@code layout}, mirrored left to right when {@code flip} is true. Allocates nothing.
     */
    public static void fill(RgbImage img, TensorLayout layout, boolean flip, float[] dst, int offset) {
        int w = img.width();
        int h = img.height();
        int plane = h * w;
        if (offset < 0 || offset > dst.length - 3 * plane) {
            throw new IllegalArgumentException("a " + w + "x" + h + " image needs " + 3 * plane + " floats at offset " + offset
                + ", the buffer has " + dst.length);
        }
        byte[] src = img.rgb();
        float[] lut = NORMALISED;
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
}
