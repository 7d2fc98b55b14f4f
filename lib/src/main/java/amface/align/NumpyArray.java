package amface.align;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A numpy array read from a {@code .npy} file or a pickle: its shape, its dtype ({@code <f4}, {@code <f8},
 * {@code <i4}, {@code <i8}, {@code |u1} or {@code |O} for objects) and its elements, kept as numpy stored them
 * (C or Fortran order) and converted on request.
 */
public final class NumpyArray implements SafeUnpickler.Stateful {
    private long[] shape = new long[0];
    private String dtype = "";
    private boolean fortranOrder;
    private byte[] raw;
    private List<Object> objects;

    NumpyArray() { }

    static NumpyArray ofRaw(long[] shape, String dtype, boolean fortranOrder, byte[] raw) {
        NumpyArray a = new NumpyArray();
        a.shape = shape.clone();
        a.dtype = dtype;
        a.fortranOrder = fortranOrder;
        a.raw = raw;
        a.checkSize();
        return a;
    }

    public long[] shape() { return shape.clone(); }

    public String dtype() { return dtype; }

    public long size() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** The single element of a 0-d object array (what {@code np.load(...).item()} returns). */
    public Object item() {
        if (objects == null || objects.size() != 1) throw new IllegalStateException("not a one-element object array: " + this);
        return objects.get(0);
    }

    /** The elements as floats in C (row-major) order, whatever the stored order and numeric dtype. */
    public float[] toFloats() {
        double[] v = toDoubles();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** The elements as doubles in C (row-major) order. */
    public double[] toDoubles() {
        if (raw == null) throw new IllegalStateException("a " + dtype + " array has no numeric data");
        int n = (int) size();
        ByteBuffer b = ByteBuffer.wrap(raw).order(dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] stored = new double[n];
        String kind = dtype.substring(1);
        for (int i = 0; i < n; i++) {
            stored[i] = switch (kind) {
                case "f4" -> b.getFloat(i * 4);
                case "f8" -> b.getDouble(i * 8);
                case "i4" -> b.getInt(i * 4);
                case "i8" -> b.getLong(i * 8);
                case "u1" -> raw[i] & 0xff;
                case "i1" -> raw[i];
                default -> throw new IllegalStateException("dtype " + dtype + " is not numeric");
            };
        }
        return fortranOrder ? fortranToC(stored, shape) : stored;
    }

    private static double[] fortranToC(double[] f, long[] shape) {
        int n = f.length;
        int dims = shape.length;
        double[] c = new double[n];
        int[] idx = new int[dims];
        for (int ci = 0; ci < n; ci++) {
            // ci walks C order; the Fortran offset puts the first axis fastest.
            int fi = 0;
            int stride = 1;
            for (int k = 0; k < dims; k++) {
                fi += idx[k] * stride;
                stride *= (int) shape[k];
            }
            c[ci] = f[fi];
            for (int k = dims - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return c;
    }

    static int itemSize(String dtype) {
        return switch (dtype.substring(1)) {
            case "f4", "i4" -> 4;
            case "f8", "i8" -> 8;
            case "u1", "i1", "b1" -> 1;
            default -> -1;
        };
    }

    private void checkSize() {
        int item = itemSize(dtype);
        if (item < 0) throw new IllegalArgumentException("numpy dtype '" + dtype + "' is not supported (only f4, f8, i1, i4, i8, u1 and objects)");
        if (raw.length != size() * item) {
            throw new IllegalArgumentException("a " + dtype + " array of shape " + Arrays.toString(shape) + " needs " + size() * item + " bytes, the file holds " + raw.length);
        }
    }

    /** numpy's {@code ndarray.__setstate__}: (version, shape, dtype, is_fortran, data). */
    @Override
    public void setState(Object state) throws PickleException {
        if (!(state instanceof List<?> t) || t.size() != 5 || !(t.get(1) instanceof List<?> dims) || !(t.get(2) instanceof NumpyDtype dt)) {
            throw new PickleException("ndarray state is not (version, shape, dtype, fortran, data): " + state);
        }
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(dims.get(i) instanceof Long l) || l < 0) throw new PickleException("bad ndarray dimension " + dims.get(i));
            s[i] = l;
        }
        shape = s;
        dtype = dt.descr();
        fortranOrder = Boolean.TRUE.equals(t.get(3));
        Object data = t.get(4);
        if (dtype.equals("|O")) {
            if (!(data instanceof List<?> list)) throw new PickleException("object ndarray data is not a list");
            @SuppressWarnings("unchecked")
            List<Object> o = (List<Object>) list;
            if (o.size() != size()) throw new PickleException("object ndarray of shape " + Arrays.toString(s) + " holds " + o.size() + " items");
            objects = o;
        } else {
            byte[] bytes;
            if (data instanceof byte[] b) bytes = b;
            else if (data instanceof String str) bytes = str.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); // Python 2 str, read as Latin-1
            else throw new PickleException("ndarray data is a " + SafeUnpickler.typeName(data) + ", not bytes");
            raw = bytes;
            try {
                checkSize();
            } catch (IllegalArgumentException e) {
                throw new PickleException(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "NumpyArray[" + dtype + " " + Arrays.toString(shape) + (fortranOrder ? " fortran" : "") + "]";
    }
}
