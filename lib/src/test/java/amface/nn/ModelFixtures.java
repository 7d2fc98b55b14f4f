package amface.nn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.image.RgbImage;

/**
 * Writes the saved-model fixtures under {@code lib/src/test/resources/fixtures/}: one small {@code model.zip} per
 * backbone family, made by the code of the day they were written (main {@code 4d183dd}), and the embeddings that
 * code gave for {@link #input()}. {@link ModelFixturesTest} loads them with today's code, so a change that breaks
 * reading old model files, or changes their numbers, fails. Rewrite them only for a deliberate format change:
 * <pre>
 * ./mvnw -B -q -DskipTests package test-compile
 * java -cp lib/target/test-classes:lib/target/classes:$(cat lib/target/classpath.txt) amface.nn.ModelFixtures lib/src/test/resources/fixtures
 * </pre>
 * The weights are the reference initialisation perturbed from a fixed seed (batch-norm statistics included), so
 * every parameter kind a file holds changes the embeddings.
 */
public final class ModelFixtures {
    /** A fixture: its file stem and the spec it holds. */
    record Fixture(String stem, BackboneSpec spec) {
        String modelFile() { return stem + ".zip"; }

        String embeddingsFile() { return stem + ".embeddings.txt"; }
    }

    static final List<Fixture> FIXTURES = List.of(
        new Fixture("resface-tiny", BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 16, 16).input(28, 24).embeddingSize(16)),
        new Fixture("lresnet-e-ir-tiny", BackboneSpec.lResNet50eIr().units(1, 1, 1, 1).channels(8, 16, 16, 16).input(28, 24).embeddingSize(16)));

    static final List<String> CLASSES = List.of("Alice_Example", "Bob_Example");

    private ModelFixtures() { }

    /** Two fixed images of the fixtures' input size: smooth patterns of every colour, the second not a mirror of the first. */
    static List<RgbImage> input(int height, int width) {
        List<RgbImage> images = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            byte[] rgb = new byte[height * width * 3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        rgb[(y * width + x) * 3 + c] = (byte) ((37 * y + 23 * x * (k + 1) + 85 * c + 61 * k) % 256);
                    }
                }
            }
            images.add(new RgbImage(width, height, rgb));
        }
        return images;
    }

    /** The fixture's model: reference initialisation, then every parameter moved by seeded noise. */
    static FaceModel model(BackboneSpec spec) {
        ComputationGraph graph = spec.embeddingGraph(DataType.FLOAT, 7);
        Nd4j.getRandom().setSeed(2026);
        for (Layer layer : graph.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray v = p.getValue();
                INDArray noise = Nd4j.rand(DataType.FLOAT, v.shape());
                // variances stay positive (0.5 .. 1.5); everything else moves by up to +-0.1
                if (p.getKey().equals("var")) v.assign(noise.addi(0.5));
                else v.addi(noise.subi(0.5).muli(0.2));
            }
        }
        return new FaceModel(graph, spec, "", CLASSES);
    }

    static String format(float[][] embeddings) {
        StringBuilder s = new StringBuilder("# one row per image of ModelFixtures.input(): the embedding as saved by ModelFixtures\n");
        for (float[] row : embeddings) {
            List<String> v = new ArrayList<>();
            for (float x : row) v.add(String.format(Locale.ROOT, "%.9g", x));
            s.append(String.join(" ", v)).append('\n');
        }
        return s.toString();
    }

    static float[][] parse(String text) {
        List<float[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] parts = line.strip().split(" ");
            float[] row = new float[parts.length];
            for (int i = 0; i < parts.length; i++) row[i] = Float.parseFloat(parts[i]);
            rows.add(row);
        }
        return rows.toArray(new float[0][]);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "lib/src/test/resources/fixtures");
        Files.createDirectories(dir);
        for (Fixture f : FIXTURES) {
            FaceModel m = model(f.spec());
            m.save(dir.resolve(f.modelFile()));
            float[][] e = m.embed(input(f.spec().inputHeight(), f.spec().inputWidth()));
            Files.writeString(dir.resolve(f.embeddingsFile()), format(e), StandardCharsets.UTF_8);
            System.out.println(dir.resolve(f.modelFile()) + ": " + f.spec() + ", " + Files.size(dir.resolve(f.modelFile())) + " bytes");
        }
    }
}
