package amface.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import amface.nn.layers.ChannelBatchNorm;
import amface.nn.layers.ConvBnPrelu;

/** The layers every backbone family is built from, with the reference's initialisation and batch-norm settings. */
final class BackboneLayers {
    /** The stage widths of the published ResFace and L-ResNet-E-IR nets. */
    static final int[] WIDTHS = {64, 128, 256, 512};

    private BackboneLayers() {
    }

    static ConvBnPrelu conv(int out, int kernel, int stride, boolean prelu, BatchNormSettings bn) {
        return new ConvBnPrelu.Builder().nOut(out).kernel(kernel).stride(stride).prelu(prelu)
            .weightInit(WeightInit.XAVIER).bnEpsilon(bn.epsilon()).bnDecay(bn.decay()).build();
    }

    static ChannelBatchNorm batchNorm(BatchNormSettings bn) {
        return new ChannelBatchNorm.Builder().bnEpsilon(bn.epsilon()).bnDecay(bn.decay()).build();
    }

    /** The FC embedding (dropout before it when the keep probability is below 1), optionally followed by BN. */
    static String addEmbedding(GraphBuilder g, BackboneSpec spec, String last, String p, boolean batchNorm) {
        DenseLayer.Builder fc = new DenseLayer.Builder().nOut(spec.embeddingSize()).activation(Activation.IDENTITY)
            .weightInit(WeightInit.XAVIER);
        if (spec.dropoutKeep() < 1) fc.dropOut(spec.dropoutKeep());
        String name = p + "embedding";
        if (batchNorm) {
            g.addLayer(p + "fc", fc.build(), last);
            g.addLayer(name, batchNorm(spec.architecture().batchNorm()), p + "fc");
        } else {
            g.addLayer(name, fc.build(), last);
        }
        return name;
    }
}
