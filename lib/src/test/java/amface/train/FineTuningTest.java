package amface.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.data.SyntheticFaces;
import amface.image.PixelNormalisation;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.ModelMetadata;

/**
 * {@code train --init}: a saved IResNet (insightface normalisation, random batch-norm statistics) fine-tuned for a few
 * steps with the stem and stage 1 frozen and the backbone at half the learning rate, interrupted by a checkpoint and
 * resumed: the frozen layers come out bit for bit as they went in (weights and running statistics), the others moved,
 * and the model keeps its normalisation.
 */
class FineTuningTest {
    static final BackboneSpec TINY = BackboneSpec.named("iresnet18").channels(4, 8, 8, 8).units(1, 1, 1, 1).input(32, 32).embeddingSize(16);

    static Path initModel(Path dir) {
        FaceModel m = FaceModel.create(TINY).withMetadata(ModelMetadata.DEFAULT.withNormalisation(PixelNormalisation.INSIGHTFACE));
        Random r = new Random(7);
        for (Layer l : m.graph().getLayers()) {
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                if (p.getKey().equals("mean")) p.getValue().assign(org.nd4j.linalg.factory.Nd4j.rand(p.getValue().shape()).subi(0.5).muli(0.2));
                if (p.getKey().equals("var")) p.getValue().assign(org.nd4j.linalg.factory.Nd4j.rand(p.getValue().shape()).addi(0.5 + r.nextDouble() * 0.1));
            }
        }
        Path file = dir.resolve("init.zip");
        m.save(file);
        return file;
    }

    static TrainConfig config(Path data, Path out, Path init) {
        TrainConfig c = TinyRuns.config(data, out);
        c.model = "iresnet18";
        c.channels = "4,8,8,8";
        c.units = "1,1,1,1";
        c.dropoutKeep = -1;
        c.init = init;
        c.freezeStages = 1;
        c.backboneLrMultiplier = 0.5;
        c.steps = 3;
        c.checkpointEvery = 3;
        return c;
    }

    @Test
    void frozenStagesStayAndTheRestMovesAcrossAResume(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        Path init = initModel(dir);
        Path out = dir.resolve("run");
        Trainer.create(config(faces.train(), out, init)).run();
        Properties more = new Properties();
        more.setProperty("steps", "6");
        Trainer.resume(out, more, null).run();

        FaceModel before = FaceModel.load(init), after = FaceModel.load(out.resolve(Trainer.MODEL));
        assertEquals(PixelNormalisation.INSIGHTFACE, after.normalisation(), "the model keeps its normalisation");
        int frozen = 0, moved = 0;
        for (Layer l : before.graph().getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            boolean isFrozen = name.equals("stem") || name.startsWith("stage1_");
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                INDArray now = after.graph().getLayer(name).getParam(p.getKey());
                if (isFrozen) {
                    assertArrayEquals(p.getValue().dup('c').data().asFloat(), now.dup('c').data().asFloat(), name + "/" + p.getKey() + " is frozen, bit for bit");
                    frozen++;
                } else if (p.getKey().equals("W")) {
                    assertFalse(p.getValue().equalsWithEps(now, 1e-7), name + "/W moved");
                    moved++;
                }
            }
        }
        assertTrue(frozen >= 10 && moved >= 8, frozen + " frozen, " + moved + " moved");
    }

    @Test
    void anInitOfAnotherShapeOrNoInitForFreezingIsRefused(@TempDir Path dir) throws Exception {
        SyntheticFaces.Written faces = TinyRuns.faces();
        Path init = initModel(dir);
        TrainConfig wide = config(faces.train(), dir.resolve("a"), init);
        wide.channels = "8,8,8,8";
        TrainingException e = assertThrows(TrainingException.class, () -> Trainer.create(wide));
        assertTrue(e.getMessage().contains(init.toString()) && e.getMessage().contains("--channels"), e.getMessage());

        TrainConfig noInit = config(faces.train(), dir.resolve("b"), null);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Trainer.create(noInit));
        assertTrue(f.getMessage().startsWith("freezeStages"), f.getMessage());
    }
}
