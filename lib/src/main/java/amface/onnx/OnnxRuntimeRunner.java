package amface.onnx;

import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Runs a serialised ONNX model in ONNX Runtime for Java: the independent reference of the export and import tests,
 * and the runtime a Java deployment (and notebook 04) calls. ONNX Runtime is an optional dependency of the library:
 * present where the library itself runs (its tests, the notebooks, the CLI), not passed on to projects that depend on
 * it, such as the Spark jobs.
 *
 * <pre>{@code
 * try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(Files.readAllBytes(onnxFile))) {
 *     float[][] embeddings = ort.run(OnnxCheck.nchw(faces, ort.metadata()), faces.size(), 112, 96);
 * }
 * }</pre>
 */
public final class OnnxRuntimeRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OnnxRuntimeRunner(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            session = env.createSession(model, options);
        }
    }

    /**
     * The embeddings of an NCHW batch {@code [n, 3, h, w]}, through the model's one input and first output (amface's
     * {@value OnnxMetadata#INPUT} and {@value OnnxMetadata#OUTPUT}, insightface's {@code data} and a number).
     */
    public float[][] run(float[] nchw, int n, int h, int w) throws OrtException {
        String input = session.getInputNames().iterator().next(), output = session.getOutputNames().iterator().next();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {n, 3, h, w});
             OrtSession.Result r = session.run(Map.of(input, x))) {
            return (float[][]) r.get(output).orElseThrow().getValue();
        }
    }

    /** The model's {@code metadata_props} as ONNX Runtime reads them. */
    public Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    public OrtSession session() {
        return session;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
