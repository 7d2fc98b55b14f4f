package amface.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import amface.io.AtomicFile;
import amface.data.Progress;
import amface.nn.FaceModel;
import onnx.Onnx.ModelProto;

/**
 * A face model's embedding network as an ONNX model: NCHW float input {@value OnnxMetadata#INPUT}
 * {@code [N, 3, H, W]} (N dynamic), output {@value OnnxMetadata#OUTPUT} {@code [N, E]}, batch norm folded for
 * inference, the preprocessing in {@code metadata_props} ({@link OnnxMetadata}). A head the model may also hold is
 * left out; the parameters are written as float32 whatever the model's data type.
 *
 * <pre>{@code
 * OnnxExport onnx = OnnxExport.of(FaceModel.load(Path.of("runs/x/model.zip")));
 * onnx.writeTo(Path.of("model.onnx"));       // atomically
 * onnx.metadata().forEach((k, v) -> System.out.println(k + ": " + v));
 * }</pre>
 */
public final class OnnxExport {
    private final ModelProto model;
    private final Map<String, String> metadata;
    private final double seconds;

    private OnnxExport(ModelProto model, Map<String, String> metadata, double seconds) {
        this.model = model;
        this.metadata = metadata;
        this.seconds = seconds;
    }

    /** Converts {@code model}; an {@link OnnxExportException} names the vertex that has no ONNX mapping. */
    public static OnnxExport of(FaceModel model) {
        return of(model, Progress.NONE);
    }

    /** As {@link #of(FaceModel)}, reporting the vertices converted to {@code progress} (a full-size IR-50: seconds). */
    public static OnnxExport of(FaceModel model, Progress progress) {
        long start = System.nanoTime();
        Map<String, String> metadata = OnnxMetadata.of(model);
        ModelProto proto = Dl4jGraphExporter.export(model.graph(), model.embeddingVertex(), model.inputHeight(), model.inputWidth(),
            OnnxMetadata.INPUT, OnnxMetadata.OUTPUT, model.spec().name(), metadata, progress);
        return new OnnxExport(proto, Collections.unmodifiableMap(metadata), (System.nanoTime() - start) / 1e9);
    }

    /** The ONNX model (nd4j-api's generated protobuf class). */
    public ModelProto model() {
        return model;
    }

    /** The {@code metadata_props} written, in order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Seconds the conversion took (reading the weights, folding, building the protobuf). */
    public double conversionSeconds() {
        return seconds;
    }

    /** The serialised model. */
    public byte[] toBytes() {
        return model.toByteArray();
    }

    /** Writes the model to {@code file} atomically (a reader never sees half a file) and returns its size in bytes. */
    public long writeTo(Path file) throws IOException {
        byte[] bytes = toBytes();
        AtomicFile.writeBytes(file, bytes);
        return bytes.length;
    }
}
