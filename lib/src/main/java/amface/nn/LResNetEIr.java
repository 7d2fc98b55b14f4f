package amface.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * ArcFace's L-ResNet-E-IR: a stride-1 stem, then BN-conv-BN-PReLU-conv(stride)-BN units (the first of each stage
 * strides 2, with a 1x1 projection shortcut), then the output block BN-dropout-FC-BN.
 */
public record LResNetEIr() implements Backbone {

    /** L-ResNet50E-IR (3/4/14/3 IR units, 64-channel stem) at 112x96; {@code .input(112, 112)} for square chips. */
    public static BackboneSpec spec50() {
        return new BackboneSpec(new LResNetEIr(), 112, 96, BackboneLayers.WIDTHS, new int[] {3, 4, 14, 3}, 512, 0.6, 64);
    }

    @Override
    public String id() {
        return "LRESNET_E_IR";
    }

    @Override
    public Map<String, BackboneSpec> presets() {
        Map<String, BackboneSpec> p = new LinkedHashMap<>();
        p.put("lresnet50e-ir", spec50());
        p.put("lresnet50e-ir-112", spec50().input(112, 112));
        return p;
    }

    @Override
    public int minUnitsPerStage() {
        return 1; // the first unit of a stage does the stride
    }

    @Override
    public String depthName(BackboneSpec spec) {
        return "lresnet" + depth(spec) + "e-ir";
    }

    /** Weighted layers of an IR net, as its names count them: stem conv + FC, two convs per unit (3/4/14/3 -> 50). */
    static int depth(BackboneSpec spec) {
        int layers = 2;
        for (int u : spec.units()) layers += 2 * u;
        return layers;
    }

    @Override
    public String addTo(GraphBuilder g, BackboneSpec spec, String input, String p) {
        return addIrLayers(g, spec, input, p);
    }

    /**
     * The IR graph shared with {@link IResNet}: the same layers and names, with the batch-norm constants of
     * {@code spec}'s family.
     */
    static String addIrLayers(GraphBuilder g, BackboneSpec spec, String input, String p) {
        BatchNormSettings bn = spec.architecture().batchNorm();
        int[] channels = spec.channels(), units = spec.units();
        g.addLayer(p + "stem", BackboneLayers.conv(spec.stemChannels(), 3, 1, true, bn), input);
        String last = p + "stem";
        int in = spec.stemChannels();
        for (int s = 0; s < channels.length; s++) {
            for (int u = 0; u < units[s]; u++) {
                String unit = p + "stage" + (s + 1) + "_unit" + (u + 1);
                int stride = u == 0 ? 2 : 1;
                g.addLayer(unit + "_bn", BackboneLayers.batchNorm(bn), last);
                g.addLayer(unit + "_a", BackboneLayers.conv(channels[s], 3, 1, true, bn), unit + "_bn");
                g.addLayer(unit + "_b", BackboneLayers.conv(channels[s], 3, stride, false, bn), unit + "_a");
                String shortcut = last;
                if (stride != 1 || in != channels[s]) {
                    g.addLayer(unit + "_proj", BackboneLayers.conv(channels[s], 1, stride, false, bn), last);
                    shortcut = unit + "_proj";
                }
                g.addVertex(unit + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), shortcut, unit + "_b");
                last = unit + "_add";
                in = channels[s];
            }
        }
        g.addLayer(p + "out_bn", BackboneLayers.batchNorm(bn), last);
        return BackboneLayers.addEmbedding(g, spec, p + "out_bn", p, true);
    }
}
