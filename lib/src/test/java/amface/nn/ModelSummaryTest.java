package amface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference sizes of the issue: parameters (conv, BN, PReLU, FC weights and bias) and GMACs per image. */
class ModelSummaryTest {

    @ParameterizedTest
    @CsvSource({"resface20, 22.68, 1.75", "resface36, 32.79, 3.34", "resface64, 48.22, 6.11"})
    void resFaceSizesMatchTheReference(String model, double millions, double gmacs) {
        ModelSummary s = ModelSummary.of(BackboneSpec.named(model));
        assertEquals(millions, Math.round(s.parameters() / 1e4) / 100.0, 1e-9, s.line());
        assertEquals(gmacs, Math.round(s.macs() / 1e7) / 100.0, 1e-9, s.line());
        assertEquals(String.format(java.util.Locale.ROOT, "%s (112x96): %.2f M parameters, %.2f GMACs per image", model, millions, gmacs), s.line());
    }

    @ParameterizedTest
    @CsvSource({"resface20", "lresnet50e-ir", "lresnet50e-ir-112"})
    void summaryParametersAgreeWithTheInitialisedGraph(String model) {
        BackboneSpec spec = BackboneSpec.named(model);
        ModelSummary s = ModelSummary.of(spec);
        // the graph also holds BN running mean and variance: two per BN channel, not trainable parameters
        long bnChannels = 0;
        var conf = spec.embeddingGraphConfiguration(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0);
        for (var v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof amface.nn.layers.NormalizedLayerConf n) {
                bnChannels += n.getNOut();
            }
        }
        long total = 0;
        for (var v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                var l = lv.getLayerConf().getLayer();
                total += l.initializer().numParams(l);
            }
        }
        assertEquals(total, s.parameters() + 2 * bnChannels);
    }
}
