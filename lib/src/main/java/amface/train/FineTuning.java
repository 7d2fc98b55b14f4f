package amface.train;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;

import amface.head.ScaledUpdater;
import amface.nn.Backbone;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.ModelFileException;
import amface.nn.layers.NormalizedLayerConf;

/**
 * Starting a run from a trained backbone ({@link TrainConfig#init}) and training it gently: the backbone's learning
 * rate times {@link TrainConfig#backboneLrMultiplier}, the stem and the first {@link TrainConfig#freezeStages}
 * stages fixed. A frozen layer's updater is scaled by 0 (its step, weight decay included, is exactly zero) and its
 * batch-norm running averages decay with 1 (kept exactly); it still normalises with the batch's statistics while
 * training, as every amface layer does, so the layers after it see what they will see from it at inference only up
 * to that difference. The head is new and keeps its own multiplier.
 */
final class FineTuning {
    private FineTuning() { }

    /** The init model, checked against the config's backbone; sets the config's normalisation to the model's. */
    static FaceModel initModel(TrainConfig config) {
        FaceModel init;
        try {
            // an int8 model's weights are rounded to 8 bits: fine-tuning needs the fp32 model it came from
            Checkpoint.refuseQuantized(amface.data.ZipEntries.read(config.init), config.init);
            init = FaceModel.load(config.init);
        } catch (java.io.IOException e) {
            throw new TrainingException("init: " + config.init + ": not a readable model file: " + e.getMessage(), e);
        } catch (ModelFileException e) {
            throw new TrainingException("init: " + e.getMessage(), e);
        }
        BackboneSpec want = config.backbone();
        if (!init.spec().equals(want)) {
            String preset = Backbone.allPresets().entrySet().stream().filter(e -> e.getValue().equals(init.spec())).map(Map.Entry::getKey)
                .findFirst().map(n -> "--model " + n).orElse("--model, --channels, --units, --input, --embedding-size and --dropout-keep");
            throw new TrainingException("init: " + config.init + " holds " + init.spec() + ", the config builds " + want + ": give " + preset + " to match it");
        }
        String normalisation = TrainConfig.normalisationName(init.normalisation());
        if (normalisation == null) {
            throw new TrainingException("init: " + config.init + " wants pixels normalised as " + init.normalisation().describe()
                + ", training knows amface's and insightface's only");
        }
        config.normalisation = normalisation;
        return init;
    }

    /** Which layers are frozen: the stem and the layers of stages 1..n (amface's layer names). */
    static boolean frozen(String layer, int stages) {
        if (stages <= 0) return false;
        if (layer.equals("stem")) return true;
        for (int s = 1; s <= stages; s++) if (layer.startsWith("stage" + s + "_")) return true;
        return false;
    }

    /** Scales the backbone layers' updaters (0 for frozen ones, whose running statistics are kept) in {@code conf}. */
    static void applyTo(ComputationGraphConfiguration conf, TrainConfig c, String head) {
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getKey().equals(head) || !(v.getValue() instanceof LayerVertex lv)) continue;
            if (!(lv.getLayerConf().getLayer() instanceof BaseLayer layer)) continue;
            boolean frozen = frozen(v.getKey(), c.freezeStages);
            double factor = frozen ? 0 : c.backboneLrMultiplier;
            if (factor != 1) {
                layer.setIUpdater(new ScaledUpdater(layer.getIUpdater(), factor));
                if (layer.getBiasUpdater() != null) layer.setBiasUpdater(new ScaledUpdater(layer.getBiasUpdater(), factor));
            }
            if (frozen && layer instanceof NormalizedLayerConf n) n.setBnDecay(1);
        }
    }
}
