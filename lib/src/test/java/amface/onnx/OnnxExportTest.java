package amface.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.image.ImageTensors;
import amface.image.PixelNormalisation;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.ModelMetadata;

/** Small variants of every backbone family through ONNX Runtime against {@link FaceModel#embed}. */
class OnnxExportTest {
    static final double TOLERANCE = OnnxCheck.TOLERANCE;

    static List<RgbImage> synthetic(int count, int height, int width) {
        SyntheticFaces faces = SyntheticFaces.builder().seed(17).size(width, height).build();
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(faces.render(i % 3, i));
        return out;
    }

    /** Exports, runs in ONNX Runtime with a batch of {@code images}, returns the max abs difference to amface. */
    static double compare(FaceModel model, List<RgbImage> images) throws Exception {
        OnnxExport export = OnnxExport.of(model);
        float[][] want = model.embed(images);
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(export.toBytes())) {
            float[][] got = ort.run(OnnxCheck.nchw(images, ort.metadata()), images.size(), model.inputHeight(), model.inputWidth());
            return OnnxCheck.maxAbsDiff(want, got);
        }
    }

    /** 56x48 inputs: the last stride-2 convolutions meet odd sizes (7 -> 4), where padding must be symmetric. */
    static Stream<BackboneSpec> smallBackbones() {
        return Stream.of(BackboneSpec.resFace20().channels(8, 16, 32, 64).input(56, 48).embeddingSize(32),
            BackboneSpec.lResNet50eIr().channels(8, 16, 32, 64).units(1, 2, 1, 1).input(56, 48).embeddingSize(32),
            BackboneSpec.named("iresnet18").channels(8, 16, 32, 64).units(1, 2, 1, 1).input(56, 48).embeddingSize(32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallBackbones")
    void smallModelsAtOddSizesMatchOnnxRuntime(BackboneSpec spec) throws Exception {
        FaceModel m = FaceModel.create(spec);
        ExportFixtures.trainedLikeStatistics(m.graph(), spec.hashCode());
        double d = compare(m, synthetic(5, 56, 48));
        System.out.println(spec + ": max abs diff " + d);
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }

    /** A graph that also holds a training head (and a prefix) exports the embedding only. */
    @Test
    void aModelWithAHeadExportsTheEmbeddingOnly() throws Exception {
        BackboneSpec spec = BackboneSpec.resFace(1, 1, 1, 1).channels(8, 8, 16, 16).input(56, 48).embeddingSize(16);
        var g = new NeuralNetConfiguration.Builder().seed(5).graphBuilder().addInputs("input").setInputTypes(spec.inputType());
        String embedding = spec.addTo(g, "input", "backbone_");
        g.addLayer("head", new DenseLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), embedding).setOutputs("head");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        FaceModel m = new FaceModel(graph, spec, "backbone_", List.of("a", "b", "c"));
        ExportFixtures.trainedLikeStatistics(graph, 5);
        OnnxExport export = OnnxExport.of(m);
        assertTrue(export.model().getGraph().getNodeList().stream().noneMatch(n -> n.getName().startsWith("head")));
        // FaceModel.embed copies a prefixed graph's parameters into its inference graph (Layer.setParams, which
        // needs the parameters registered with DL4J by amface's layers' initialiser); checked against the vertex too.
        List<RgbImage> images = synthetic(4, 56, 48);
        INDArray e = graph.feedForward(ImageTensors.toTensor(images, FaceModel.LAYOUT), false).get(m.embeddingVertex());
        float[][] want = m.embed(images);
        for (int i = 0; i < want.length; i++) assertArrayEquals(e.getRow(i).toFloatVector(), want[i], 1e-6f);
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(export.toBytes())) {
            float[][] got = ort.run(OnnxCheck.nchw(images, ort.metadata()), images.size(), 56, 48);
            double d = OnnxCheck.maxAbsDiff(want, got);
            assertTrue(d < TOLERANCE, "max abs diff " + d);
        }
    }

    /** An exported IResNet (head batch norms folded into the Gemm) imports back as the same network, normalisation included. */
    @Test
    void anExportedIResNetImportsBackToTheSameFunction(@TempDir Path dir) throws Exception {
        BackboneSpec spec = BackboneSpec.named("iresnet18").channels(8, 16, 32, 64).units(1, 2, 1, 1).input(56, 48).embeddingSize(32);
        FaceModel m = FaceModel.create(spec).withMetadata(ModelMetadata.DEFAULT.withNormalisation(PixelNormalisation.INSIGHTFACE));
        ExportFixtures.trainedLikeStatistics(m.graph(), 9);
        Path file = dir.resolve("r.onnx");
        OnnxExport.of(m).writeTo(file);
        FaceModel back = IResNetOnnxImport.read(file, Progress.NONE);
        assertEquals(spec, back.spec());
        assertEquals(m.normalisation(), back.normalisation());
        List<RgbImage> images = synthetic(4, 56, 48);
        double d = OnnxCheck.maxAbsDiff(m.embed(images), back.embed(images));
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }

    /** A double-precision model exports its float32 equivalent. */
    @Test
    void aDoubleModelExportsAsFloat32() throws Exception {
        BackboneSpec spec = BackboneSpec.lResNet50eIr().channels(8, 8, 16, 16).units(1, 1, 1, 1).input(56, 48).embeddingSize(16);
        FaceModel m = new FaceModel(spec.embeddingGraph(DataType.DOUBLE, 6), spec, "", List.of());
        ExportFixtures.trainedLikeStatistics(m.graph(), 6);
        assertTrue(OnnxExport.of(m).model().getGraph().getInitializerList().stream()
            .allMatch(t -> t.getDataType() == onnx.Onnx.TensorProto.DataType.FLOAT_VALUE));
        double d = compare(m, synthetic(4, 56, 48));
        assertTrue(d < TOLERANCE, "max abs diff " + d);
    }
}
