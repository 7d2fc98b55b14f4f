package amface.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * SphereFace / AM-softmax residual nets: per stage a stride-2 conv-BN-PReLU, then identity units of two
 * conv-BN-PReLU with no activation after the add (as in the reference), then the FC embedding.
 */
public record ResFace() implements Backbone {

    /** ResFace with the given residual units per stage, 112x96 input, 512-d embedding, keep probability 0.8. */
    public static BackboneSpec spec(int... units) {
        return new BackboneSpec(new ResFace(), 112, 96, BackboneLayers.WIDTHS, units, 512, 0.8, 0);
    }

    @Override
    public String id() {
        return "RESFACE";
    }

    @Override
    public Map<String, BackboneSpec> presets() {
        Map<String, BackboneSpec> p = new LinkedHashMap<>();
        p.put("resface20", spec(1, 2, 4, 1));
        p.put("resface36", spec(2, 4, 8, 2));
        p.put("resface64", spec(3, 8, 16, 3));
        return p;
    }

    @Override
    public int minUnitsPerStage() {
        return 0;
    }

    @Override
    public String depthName(BackboneSpec spec) {
        int convs = spec.channels().length; // one stride-2 conv per stage, two per unit
        for (int u : spec.units()) convs += 2 * u;
        return "resface" + convs;
    }

    @Override
    public String addTo(GraphBuilder g, BackboneSpec spec, String input, String p) {
        int[] channels = spec.channels(), units = spec.units();
        String last = input;
        for (int s = 0; s < channels.length; s++) {
            String stage = p + "stage" + (s + 1);
            g.addLayer(stage + "_down", BackboneLayers.conv(channels[s], 3, 2, true, batchNorm()), last);
            last = stage + "_down";
            for (int u = 0; u < units[s]; u++) {
                String unit = stage + "_unit" + (u + 1);
                g.addLayer(unit + "_a", BackboneLayers.conv(channels[s], 3, 1, true, batchNorm()), last);
                g.addLayer(unit + "_b", BackboneLayers.conv(channels[s], 3, 1, true, batchNorm()), unit + "_a");
                g.addVertex(unit + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), last, unit + "_b");
                last = unit + "_add";
            }
        }
        return BackboneLayers.addEmbedding(g, spec, last, p, false);
    }
}
