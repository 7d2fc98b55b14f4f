package amface.nn.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense c-order host array (its offset applied), in float or double. Two final
 * implementations only, so the JIT inlines the calls in the loops of {@link HostKernels}.
 */
abstract class HostBuffer {
    abstract double get(int i);

    abstract void put(int i, double v);

    /** True when {@code a} can be read through a host buffer: CPU backend, dense c-order, float or double. */
    static boolean supports(INDArray a) {
        return (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && a.ordering() == 'c'
            && (a.length() <= 1 || a.elementWiseStride() == 1) && a.length() < Integer.MAX_VALUE;
    }

    static HostBuffer of(INDArray a) {
        int offset = (int) a.offset(), length = (int) a.length();
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = a.data().asNioFloat();
            return new Floats(b.position(offset).slice().limit(length));
        }
        DoubleBuffer b = a.data().asNioDouble();
        return new Doubles(b.position(offset).slice().limit(length));
    }

    static final class Floats extends HostBuffer {
        private final FloatBuffer b;

        Floats(FloatBuffer b) {
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void put(int i, double v) {
            b.put(i, (float) v);
        }
    }

    static final class Doubles extends HostBuffer {
        private final DoubleBuffer b;

        Doubles(DoubleBuffer b) {
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void put(int i, double v) {
            b.put(i, v);
        }
    }
}
