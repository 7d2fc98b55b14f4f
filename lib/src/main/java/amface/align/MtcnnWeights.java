package amface.align;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of facenet's MTCNN weight files ({@code det1.npy}, {@code det2.npy}, {@code det3.npy}): a pickled dict
 * {@code {layer: {'weights'|'biases'|'alpha': array}}}, read without executing anything. Convolution weights are
 * {@code [kh, kw, in, out]} for images transposed as Caffe saw them; dense weights {@code [in, out]}.
 */
public final class MtcnnWeights {
    private final String source;
    private final Map<String, Map<String, NumpyArray>> layers;

    private MtcnnWeights(String source, Map<String, Map<String, NumpyArray>> layers) {
        this.source = source;
        this.layers = layers;
    }

    public static MtcnnWeights load(Path npy) throws IOException {
        NumpyArray top = NpyFile.read(npy);
        Object item;
        try {
            item = top.item();
        } catch (IllegalStateException e) {
            throw new IOException(npy + ": expected a pickled dict of layers, found " + top);
        }
        if (!(item instanceof Map<?, ?> dict)) throw new IOException(npy + ": expected a dict of layers, found " + SafeUnpickler.typeName(item));
        Map<String, Map<String, NumpyArray>> layers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String layer) || !(e.getValue() instanceof Map<?, ?> params)) {
                throw new IOException(npy + ": entry " + e.getKey() + " is not layer name -> dict of arrays");
            }
            Map<String, NumpyArray> p = new LinkedHashMap<>();
            for (Map.Entry<?, ?> pe : params.entrySet()) {
                if (!(pe.getKey() instanceof String name) || !(pe.getValue() instanceof NumpyArray a)) {
                    throw new IOException(npy + ": layer '" + layer + "' entry " + pe.getKey() + " is not a numpy array");
                }
                p.put(name, a);
            }
            layers.put(layer, p);
        }
        return new MtcnnWeights(npy.toString(), layers);
    }

    public java.util.Set<String> layers() {
        return layers.keySet();
    }

    /** The values of {@code layer/param} in C order, checked against the shape the network expects. */
    public float[] get(String layer, String param, long... expectedShape) throws IOException {
        Map<String, NumpyArray> p = layers.get(layer);
        if (p == null) throw new IOException(source + ": no layer '" + layer + "' (layers: " + layers.keySet() + ")");
        NumpyArray a = p.get(param);
        if (a == null) throw new IOException(source + ": layer '" + layer + "' has no '" + param + "' (has " + p.keySet() + ")");
        if (!Arrays.equals(a.shape(), expectedShape)) {
            throw new IOException(source + ": " + layer + "/" + param + " has shape " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        try {
            return a.toFloats();
        } catch (IllegalStateException e) {
            throw new IOException(source + ": " + layer + "/" + param + ": " + e.getMessage());
        }
    }
}
