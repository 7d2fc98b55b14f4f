package amface.nn.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Block access to a dense c-order host array (its offset applied), float or double, through double[] blocks:
 * bulk copies (memcpy) plus a widening loop, so {@link HostKernelsDouble}'s loops run on plain arrays whatever the
 * storage (double for the gradient checks, float where float and double arrays meet).
 */
abstract class HostBuffer {
    /** Copies {@code n} elements from {@code from} into {@code dst[0..n)}. */
    abstract void read(int from, double[] dst, int n);

    /** Copies {@code src[0..n)} to elements {@code from..from+n}. */
    abstract void write(int from, double[] src, int n);

    /** True when {@code a} can be accessed as a host buffer: dense c-order, float or double. */
    static boolean supports(INDArray a) {
        // a vector with unit stride is dense whatever its ordering flag (layer parameter views report 'f')
        return (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && (a.ordering() == 'c' || a.isVector())
            && (a.length() <= 1 || a.elementWiseStride() == 1) && a.length() < Integer.MAX_VALUE;
    }

    static HostBuffer of(INDArray a) {
        int offset = (int) a.offset(), length = (int) a.length();
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(a.data().asNioFloat().position(offset).slice().limit(length));
        }
        return new Doubles(a.data().asNioDouble().position(offset).slice().limit(length));
    }

    static final class Floats extends HostBuffer {
        private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
        private final FloatBuffer b;

        Floats(FloatBuffer b) {
            this.b = b;
        }

        private static float[] scratch(int n) {
            float[] s = SCRATCH.get();
            if (s.length < n) {
                s = new float[n];
                SCRATCH.set(s);
            }
            return s;
        }

        @Override
        void read(int from, double[] dst, int n) {
            float[] s = scratch(n);
            b.get(from, s, 0, n);
            for (int i = 0; i < n; i++) dst[i] = s[i];
        }

        @Override
        void write(int from, double[] src, int n) {
            float[] s = scratch(n);
            for (int i = 0; i < n; i++) s[i] = (float) src[i];
            b.put(from, s, 0, n);
        }
    }

    static final class Doubles extends HostBuffer {
        private final DoubleBuffer b;

        Doubles(DoubleBuffer b) {
            this.b = b;
        }

        @Override
        void read(int from, double[] dst, int n) {
            b.get(from, dst, 0, n);
        }

        @Override
        void write(int from, double[] src, int n) {
            b.put(from, src, 0, n);
        }
    }
}
