package amface.head;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link MarginSoftmax} head, as views into the network's flat parameter vector: class weights
 * "W" [nIn x nOut], then the bias "b" [1 x nOut] (plain softmax only), then the learned scale "s" [1 x 1].
 */
public final class MarginSoftmaxParams implements ParamInitializer {
    public static final String WEIGHT_KEY = "W";
    public static final String BIAS_KEY = "b";
    public static final String SCALE_KEY = "s";
    static final MarginSoftmaxParams INSTANCE = new MarginSoftmaxParams();

    private MarginSoftmaxParams() { }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        MarginSoftmax h = (MarginSoftmax) layer;
        return h.getNIn() * h.getNOut() + (h.isPlainSoftmax() ? h.getNOut() : 0) + (h.hasScaleParam() ? 1 : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        MarginSoftmax h = (MarginSoftmax) layer;
        List<String> keys = new ArrayList<>(List.of(WEIGHT_KEY));
        if (h.isPlainSoftmax()) keys.add(BIAS_KEY);
        if (h.hasScaleParam()) keys.add(SCALE_KEY);
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((MarginSoftmax) layer).isPlainSoftmax() ? List.of(BIAS_KEY) : List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        MarginSoftmax h = (MarginSoftmax) conf.getLayer();
        Map<String, INDArray> params = split(h, view);
        if (initialize) {
            IWeightInit init = h.getWeightInitFn() == null ? new WeightInitXavier() : h.getWeightInitFn();
            init.init(h.getNIn(), h.getNOut(), new long[] {h.getNIn(), h.getNOut()}, 'f', params.get(WEIGHT_KEY));
            if (params.containsKey(BIAS_KEY)) params.get(BIAS_KEY).assign(h.getBiasInit());
            if (params.containsKey(SCALE_KEY)) params.get(SCALE_KEY).assign(h.getScale());
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((MarginSoftmax) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(MarginSoftmax h, INDArray flat) {
        long nIn = h.getNIn();
        long nOut = h.getNOut();
        if (flat.length() != INSTANCE.numParams(h)) {
            throw new IllegalStateException("head parameter view has " + flat.length() + " values, expected " + INSTANCE.numParams(h));
        }
        INDArray row = flat.reshape(1, flat.length());
        Map<String, INDArray> params = new LinkedHashMap<>();
        long offset = 0;
        params.put(WEIGHT_KEY, row.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + nIn * nOut)).reshape('f', nIn, nOut));
        offset += nIn * nOut;
        if (h.isPlainSoftmax()) {
            params.put(BIAS_KEY, row.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + nOut)));
            offset += nOut;
        }
        if (h.hasScaleParam()) {
            params.put(SCALE_KEY, row.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + 1)));
        }
        return params;
    }
}
