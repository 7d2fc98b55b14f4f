package amface.nn.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DL4J parameter initialiser for any {@link ParamLayout}: views into the flattened parameter and gradient arrays. */
final class LayoutParamInitializer implements ParamInitializer {
    static final LayoutParamInitializer INSTANCE = new LayoutParamInitializer();

    private static ParamLayout layout(Layer layer) {
        return (ParamLayout) layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return layout(layer).params().stream().mapToLong(ParamSpec::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return layout(layer).params().stream().map(ParamSpec::name).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return keys(layer, ParamSpec.Role.WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return keys(layer, ParamSpec.Role.BIAS);
    }

    private List<String> keys(Layer layer, ParamSpec.Role role) {
        return layout(layer).params().stream().filter(p -> p.role() == role).map(ParamSpec::name).toList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        // DL4J's own initialisers register their keys: Layer.setParams and paramTable() walk conf.variables(),
        // so without this copying parameters into a layer (FaceModel's inference graph) finds none.
        for (String key : views.keySet()) conf.addVariable(key);
        if (initializeParams) {
            for (ParamSpec p : layout(conf.getLayer()).params()) layout(conf.getLayer()).initialise(p, views.get(p.name()));
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    private Map<String, INDArray> views(Layer layer, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long at = 0;
        for (ParamSpec p : layout(layer).params()) {
            out.put(p.name(), row.get(NDArrayIndex.interval(at, at + p.length())).reshape('c', p.shape()));
            at += p.length();
        }
        if (at != flat.length()) {
            throw new IllegalStateException("parameter view of length " + flat.length() + " for " + at + " parameters");
        }
        return out;
    }
}
