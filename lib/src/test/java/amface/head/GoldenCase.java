package amface.head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import amface.testing.TestPaths;

/** One golden file written by reference/heads_golden.py: a head, its inputs, and PyTorch's loss and gradients. */
record GoldenCase(String name, JsonNode json) {
    static final Path DIR = TestPaths.projectRoot().resolve("lib/src/test/resources/golden/head");

    static Stream<GoldenCase> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (list.isEmpty()) throw new AssertionError("no golden files in " + DIR);
            ObjectMapper mapper = new ObjectMapper();
            return list.stream().map(p -> {
                try {
                    return new GoldenCase(p.getFileName().toString().replace(".json", ""), mapper.readTree(p.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    String kind() { return json.get("kind").asText(); }

    /** The margin this case describes (null: plain softmax). */
    Margin margin() {
        return switch (kind()) {
            case "softmax" -> null;
            case "cosine" -> new CosineMargin(json.get("m").asDouble());
            case "arc" -> new ArcMargin(json.get("m").asDouble(), json.get("easy").asBoolean());
            case "combined" -> new CombinedMargin(json.get("m1").asDouble(), json.get("m2").asDouble(), json.get("m3").asDouble());
            case "sphere" -> new SphereMargin(json.get("m").asInt(), json.get("lambda_base").asDouble(), json.get("gamma").asDouble(),
                json.get("power").asDouble(), json.get("lambda_min").asDouble());
            default -> throw new AssertionError("unknown kind " + kind());
        };
    }

    double scale() { return json.has("s") ? json.get("s").asDouble() : 1; }

    boolean learnScale() { return json.has("learn_s") && json.get("learn_s").asBoolean(); }

    double warm() { return json.has("warm") ? json.get("warm").asDouble() : 1; }

    long step() { return json.has("step") ? json.get("step").asLong() : 0; }

    INDArray matrix(String key) {
        JsonNode rows = json.get(key);
        if (rows == null || rows.isNull()) return null;
        if (!rows.get(0).isArray()) {
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) v[i] = rows.get(i).asDouble();
            return Nd4j.createFromArray(v).reshape(1, v.length);
        }
        double[][] m = new double[rows.size()][rows.get(0).size()];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) m[i][j] = rows.get(i).get(j).asDouble();
        return Nd4j.createFromArray(m);
    }

    int[] labelIndices() {
        JsonNode l = json.get("labels");
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i).asInt();
        return out;
    }

    INDArray oneHot() {
        int[] y = labelIndices();
        INDArray out = Nd4j.zeros(DataType.DOUBLE, y.length, json.get("W").get(0).size());
        for (int i = 0; i < y.length; i++) out.putScalar(i, y[i], 1.0);
        return out;
    }

    double number(String key) { return json.get(key).asDouble(); }

    boolean has(String key) { return json.has(key) && !json.get(key).isNull(); }
}
