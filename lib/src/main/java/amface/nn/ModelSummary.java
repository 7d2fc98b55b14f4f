package amface.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;

import amface.nn.layers.ChannelBatchNorm;
import amface.nn.layers.ConvBnPrelu;

/**
 * Trainable parameters and multiply-accumulates per image of a graph: convolutions, batch norm (gamma, beta),
 * PReLU (alpha), dense weights and biases; BN running statistics are not parameters. MACs count convolutions
 * and dense layers (the element-wise work of BN, PReLU and adds is negligible and not counted).
 */
public record ModelSummary(String name, String inputSize, long parameters, long macs, List<Row> layers) {

    /** One layer: name, kind, trainable parameters, MACs per image, output shape. */
    public record Row(String layer, String kind, long parameters, long macs, String output) { }

    public static ModelSummary of(BackboneSpec spec) {
        return of(spec.name(), spec.embeddingGraphConfiguration(DataType.FLOAT, 0), spec.inputType());
    }

    /** Summary of any graph configuration for the given input types. */
    public static ModelSummary of(String name, ComputationGraphConfiguration conf, InputType... inputs) {
        Map<String, InputType> types = conf.getLayerActivationTypes(inputs);
        List<Row> rows = new ArrayList<>();
        long params = 0, macs = 0;
        for (String vertex : conf.getVertices().keySet()) {
            GraphVertex v = conf.getVertices().get(vertex);
            if (!(v instanceof LayerVertex lv)) continue;
            Layer layer = lv.getLayerConf().getLayer();
            InputType out = types.get(vertex);
            long p = trainableParameters(layer);
            long m = macs(layer, out);
            rows.add(new Row(vertex, layer.getClass().getSimpleName(), p, m, String.valueOf(out)));
            params += p;
            macs += m;
        }
        String size = inputs.length > 0 && inputs[0] instanceof InputType.InputTypeConvolutional c
            ? c.getHeight() + "x" + c.getWidth() : "?";
        return new ModelSummary(name, size, params, macs, List.copyOf(rows));
    }

    private static long trainableParameters(Layer layer) {
        if (layer instanceof ConvBnPrelu c) {
            return c.getNIn() * c.getNOut() * c.getKernel() * c.getKernel() + c.getNOut() * (c.isPrelu() ? 3 : 2);
        }
        if (layer instanceof ChannelBatchNorm b) return 2 * b.getNOut();
        return layer.initializer().numParams(layer);
    }

    private static long macs(Layer layer, InputType out) {
        if (layer instanceof ConvBnPrelu c && out instanceof InputType.InputTypeConvolutional o) {
            return o.getHeight() * o.getWidth() * c.getNOut() * c.getNIn() * c.getKernel() * c.getKernel();
        }
        if (layer instanceof ChannelBatchNorm) return 0;
        if (layer instanceof FeedForwardLayer f) return f.getNIn() * f.getNOut();
        return 0;
    }

    /** {@code resface20 (112x96): 22.68 M parameters, 1.75 GMACs per image}. */
    public String line() {
        return String.format(Locale.ROOT, "%s (%s): %.2f M parameters, %.2f GMACs per image", name, inputSize,
            parameters / 1e6, macs / 1e9);
    }

    /** The per-layer table followed by the total line. */
    public String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-24s %-16s %12s %14s  %s%n", "layer", "kind", "params", "MACs", "output"));
        for (Row r : layers) {
            s.append(String.format(Locale.ROOT, "%-24s %-16s %12d %14d  %s%n", r.layer(), r.kind(), r.parameters(), r.macs(), r.output()));
        }
        return s.append(line()).append('\n').toString();
    }
}
