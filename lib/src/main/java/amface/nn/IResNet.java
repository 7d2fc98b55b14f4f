package amface.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * insightface's arcface_torch IResNet (iresnet18/34/50/100): the L-ResNet-E-IR graph ({@link LResNetEIr}'s code:
 * stem conv3x3-BN-PReLU; units BN-conv3x3-BN-PReLU-conv3x3(stride)-BN with a 1x1 conv + BN projection on the first
 * unit of a stage; head BN-dropout-FC-BN) at 112x112 with PyTorch's batch-norm constants (epsilon 1e-5, momentum
 * 0.1) and no dropout, as insightface trains it. {@code amface import --onnx} maps its exported ONNX files onto it.
 */
public record IResNet() implements Backbone {

    /** IResNet with the given units per stage: 112x112, 64-128-256-512, 512-d embedding, no dropout. */
    public static BackboneSpec spec(int... units) {
        return new BackboneSpec(new IResNet(), 112, 112, BackboneLayers.WIDTHS, units, 512, 1.0, 64);
    }

    @Override
    public String id() {
        return "IRESNET";
    }

    @Override
    public Map<String, BackboneSpec> presets() {
        Map<String, BackboneSpec> p = new LinkedHashMap<>();
        p.put("iresnet18", spec(2, 2, 2, 2));
        p.put("iresnet34", spec(3, 4, 6, 3));
        p.put("iresnet50", spec(3, 4, 14, 3));
        p.put("iresnet100", spec(3, 13, 30, 3));
        return p;
    }

    @Override
    public int[] nativeInput() {
        return new int[] {112, 112};
    }

    @Override
    public BatchNormSettings batchNorm() {
        return BatchNormSettings.PYTORCH;
    }

    @Override
    public int minUnitsPerStage() {
        return 1;
    }

    @Override
    public String depthName(BackboneSpec spec) {
        return "iresnet" + LResNetEIr.depth(spec); // insightface counts as L-ResNet-E-IR does: 2-2-2-2 units -> 18
    }

    @Override
    public String addTo(GraphBuilder g, BackboneSpec spec, String input, String p) {
        return LResNetEIr.addIrLayers(g, spec, input, p);
    }
}
