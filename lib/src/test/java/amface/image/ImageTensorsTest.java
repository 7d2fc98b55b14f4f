package amface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageTensorsTest {

    /** The reference normalisation computed by hand in double precision. */
    private static double ref(int v) {
        return (v - 127.5) / 128.0;
    }

    @Test
    void normalisationMatchesTheReferenceExactly() {
        assertEquals(-127.5 / 128, ImageTensors.normalise(0), 0.0);
        assertEquals(127.5 / 128, ImageTensors.normalise(255), 0.0);
        assertEquals(-0.00390625, ImageTensors.normalise(127), 0.0);
        for (int v = 0; v < 256; v++) assertEquals(ref(v), ImageTensors.normalise(v), 0.0, "value " + v);
    }

    @Test
    void nchwAndNhwcHoldTheSamePixelsInTheirOrder() {
        RgbImage a = TestImages.random(5, 3, 1);
        RgbImage b = TestImages.random(5, 3, 2);
        INDArray nchw = ImageTensors.toTensor(List.of(a, b), TensorLayout.NCHW);
        INDArray nhwc = ImageTensors.toTensor(List.of(a, b), TensorLayout.NHWC);
        assertEquals(DataType.FLOAT, nchw.dataType());
        assertArrayEquals(new long[] {2, 3, 3, 5}, nchw.shape());
        assertArrayEquals(new long[] {2, 3, 5, 3}, nhwc.shape());
        RgbImage[] imgs = {a, b};
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    for (int c = 0; c < 3; c++) {
                        double want = ref(imgs[n].get(x, y, c));
                        assertEquals(want, nchw.getDouble(n, c, y, x), 0.0);
                        assertEquals(want, nhwc.getDouble(n, y, x, c), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void flipDuringTheCopyEqualsFlippingFirst() {
        RgbImage img = TestImages.random(7, 4, 3);
        RgbImage flipped = ImageTransforms.flipHorizontal(img);
        for (TensorLayout layout : TensorLayout.values()) {
            float[] direct = new float[84];
            float[] viaFlip = new float[84];
            ImageTensors.fill(img, layout, true, direct, 0);
            ImageTensors.fill(flipped, layout, false, viaFlip, 0);
            assertArrayEquals(viaFlip, direct, 0f, layout.toString());
        }
    }

    @Test
    void fillWritesOnlyItsSlot() {
        RgbImage img = TestImages.random(4, 2, 4);
        float[] buf = new float[3 * 24 + 5];
        Arrays.fill(buf, 99f);
        ImageTensors.fill(img, TensorLayout.NCHW, false, buf, 24);
        for (int i = 0; i < 24; i++) assertEquals(99f, buf[i]);
        for (int i = 48; i < buf.length; i++) assertEquals(99f, buf[i]);
        assertEquals(ref(img.get(0, 0, 0)), buf[24], 0.0);
        assertEquals(ref(img.get(3, 1, 2)), buf[24 + 23], 0.0);
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.fill(img, TensorLayout.NHWC, false, buf, 60));
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.toTensor(List.of(img, TestImages.random(2, 4, 1)), TensorLayout.NCHW));
    }

    @Test
    void fillIsFast() {
        List<RgbImage> imgs = new ArrayList<>();
        for (int i = 0; i < 64; i++) imgs.add(TestImages.random(96, 112, i));
        int per = ImageTensors.floatsPerImage(112, 96);
        float[] batch = new float[per * imgs.size()];
        for (TensorLayout layout : TensorLayout.values()) {
            for (boolean flip : new boolean[] {false, true}) {
                for (int warm = 0; warm < 20; warm++) fillAll(imgs, layout, flip, batch, per);
                int rounds = 60;
                long t0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) fillAll(imgs, layout, flip, batch, per);
                double perSecond = rounds * imgs.size() / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("ImageTensors.fill 112x96 %s flip=%s: %.0f images/s (one thread, shared machine: noisy)%n", layout, flip, perSecond);
                assertTrue(perSecond > 2000, layout + " flip=" + flip + ": only " + perSecond + " images/s");
            }
        }
    }

    private static void fillAll(List<RgbImage> imgs, TensorLayout layout, boolean flip, float[] batch, int per) {
        for (int i = 0; i < imgs.size(); i++) ImageTensors.fill(imgs.get(i), layout, flip, batch, i * per);
    }
}
