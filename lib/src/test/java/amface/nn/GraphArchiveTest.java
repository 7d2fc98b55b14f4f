package amface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import amface.data.ZipEntries;

/** Model files are read without running code from them. */
class GraphArchiveTest {

    /** Stands for a deserialisation gadget: reading it would flip the flag. */
    static final class Gadget implements Serializable {
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    private static BackboneSpec tiny() {
        return BackboneSpec.resFace(0, 1, 0, 0).channels(4, 8, 8, 8).input(28, 24).embeddingSize(8);
    }

    @Test
    void refusesConfigurationsNamingForeignClasses() {
        String json = "{\"vertices\":{\"a\":{\"@class\":\"org.deeplearning4j.nn.conf.graph.LayerVertex\",\"x\":{\"@class\":\"com.evil.Gadget\"}}}}";
        ModelFileException e = assertThrows(ModelFileException.class, () -> GraphArchive.checkClasses(json, "m.zip"));
        assertTrue(e.getMessage().contains("refusing to load class com.evil.Gadget"), e.getMessage());
        GraphArchive.checkClasses("{\"@class\":\"amface.head.MarginSoftmax\"}", "m.zip");
    }

    @Test
    void roundTripKeepsParametersAndIgnoresJavaSerialisedEntries(@TempDir Path dir) throws Exception {
        ComputationGraph g = tiny().embeddingGraph(DataType.FLOAT, 7);
        Path file = dir.resolve("model.zip");
        FaceModel model = new FaceModel(g, tiny(), "", java.util.List.of());
        model.save(file);

        // DL4J's ModelSerializer would Java-deserialise these entries; amface must not.
        Map<String, byte[]> entries = ZipEntries.read(file);
        ByteArrayOutputStream gadget = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(gadget)) {
            out.writeObject(new Gadget());
        }
        entries.put("preprocessor.bin", gadget.toByteArray());
        entries.put("normalizer.bin", gadget.toByteArray());
        ZipEntries.write(file, entries);

        Gadget.ran = false;
        FaceModel back = FaceModel.load(file);
        assertFalse(Gadget.ran, "a Java-serialised entry in a model file was deserialised");
        assertEquals(g.params(), back.graph().params());
    }

    @Test
    void damagedParametersNameTheFileAndEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.zip");
        new FaceModel(tiny().embeddingGraph(DataType.FLOAT, 7), tiny(), "", java.util.List.of()).save(file);
        Map<String, byte[]> entries = ZipEntries.read(file);
        byte[] params = entries.get(GraphArchive.PARAMETERS);
        entries.put(GraphArchive.PARAMETERS, java.util.Arrays.copyOf(params, params.length / 2));
        ZipEntries.write(file, entries);
        ModelFileException e = assertThrows(ModelFileException.class, () -> FaceModel.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(GraphArchive.PARAMETERS), e.getMessage());
    }
}
