package amface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.RgbImage;

/** FaceModel: embedding, atomic save and checked load, clear errors for wrong images and wrong files. */
class FaceModelTest {
    static final BackboneSpec TINY = BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 32, 64).input(28, 24).embeddingSize(16);

    static List<RgbImage> images(int n, int width, int height, long seed) {
        Random r = new Random(seed);
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[width * height * 3];
            r.nextBytes(px);
            out.add(new RgbImage(width, height, px));
        }
        return out;
    }

    @Test
    void embedsAndRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        FaceModel model = FaceModel.create(TINY);
        List<RgbImage> imgs = images(35, 24, 28, 1); // more than one internal batch
        float[][] e = model.embed(imgs);
        assertEquals(35, e.length);
        assertEquals(16, e[0].length);
        Path file = dir.resolve("sub/model.zip");
        model.save(file);
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
        FaceModel back = FaceModel.load(file, TINY);
        assertEquals(TINY, back.spec());
        float[][] again = back.embed(imgs);
        for (int i = 0; i < e.length; i++) assertArrayEquals(e[i], again[i], 1e-6f);
        // one image alone gives the same embedding as in a batch (inference uses running statistics)
        assertArrayEquals(e[3], back.embed(imgs.subList(3, 4))[0], 1e-5f);
    }

    @Test
    void keepsClassNames(@TempDir Path dir) {
        FaceModel model = new FaceModel(TINY.embeddingGraph(), TINY, "", List.of("Ann", "Bob = 2", "Zoë"));
        Path file = dir.resolve("m.zip");
        model.save(file);
        assertEquals(List.of("Ann", "Bob = 2", "Zoë"), FaceModel.load(file).classNames());
    }

    @Test
    void wrongImageSizeIsAClearError() {
        FaceModel model = FaceModel.create(TINY);
        List<RgbImage> imgs = new ArrayList<>(images(2, 24, 28, 2));
        imgs.addAll(images(1, 28, 24, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.embed(imgs));
        assertTrue(e.getMessage().contains("image 2 is 28x24") && e.getMessage().contains("needs 24x28"), e.getMessage());
    }

    @Test
    void anotherArchitectureIsAClearError(@TempDir Path dir) {
        Path file = dir.resolve("m.zip");
        FaceModel.create(TINY).save(file);
        BackboneSpec other = TINY.units(1, 2, 1, 1);
        ModelFileException e = assertThrows(ModelFileException.class, () -> FaceModel.load(file, other));
        assertTrue(e.getMessage().contains("expected " + other), e.getMessage());
    }

    @Test
    void notAModelFileIsAClearError(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "hello");
        assertTrue(assertThrows(ModelFileException.class, () -> FaceModel.load(text)).getMessage().contains("not a model file"));
        assertTrue(assertThrows(ModelFileException.class, () -> FaceModel.load(dir.resolve("missing.zip")))
            .getMessage().contains("no model file"));

        // a DL4J model without amface metadata
        ComputationGraph plain = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
            .addLayer("d", new DenseLayer.Builder().nIn(3).nOut(2).build(), "in").setOutputs("d").build());
        plain.init();
        Path dl4j = dir.resolve("plain.zip");
        ModelSerializer.writeModel(plain, dl4j.toFile(), false);
        assertTrue(assertThrows(ModelFileException.class, () -> FaceModel.load(dl4j)).getMessage()
            .contains("not an amface face model"));
    }

    @Test
    void aGraphThatIsNotTheSpecIsRejected() {
        ModelFileException e = assertThrows(ModelFileException.class,
            () -> new FaceModel(TINY.embeddingGraph(), TINY.channels(8, 16, 32, 32), "", List.of()));
        assertTrue(e.getMessage().contains("stage4"), e.getMessage());
    }
}
