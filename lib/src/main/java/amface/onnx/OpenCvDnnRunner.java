package amface.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromONNX;

import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * Runs an exported face model in OpenCV's DNN module (JavaCV 1.5.7, OpenCV 4.5.5): an ONNX reader independent of
 * amface, already on the classpath, so an export can be checked where it is made ({@link OnnxCheck}).
 */
public final class OpenCvDnnRunner implements AutoCloseable {
    private final Net net;

    /** Reads {@code onnxFile}; OpenCV's own error (naming the node it cannot import) is wrapped with the file name. */
    public OpenCvDnnRunner(Path onnxFile) {
        try {
            net = readNetFromONNX(onnxFile.toString());
        } catch (RuntimeException e) {
            throw new OnnxExportException("OpenCV DNN cannot read " + onnxFile + ": " + e.getMessage().strip().replace('\n', ' '));
        }
        if (net.empty()) throw new OnnxExportException("OpenCV DNN read an empty network from " + onnxFile);
    }

    /** The embeddings of an NCHW batch {@code [n, 3, h, w]}. */
    public float[][] run(float[] nchw, int n, int h, int w) {
        try (Mat blob = new Mat(new int[] {n, 3, h, w}, CV_32F)) {
            ((FloatBuffer) blob.createBuffer()).put(nchw);
            net.setInput(blob);
            try (Mat out = net.forward(OnnxMetadata.OUTPUT)) {
                if (out.size(0) != n) throw new IllegalStateException("OpenCV DNN gave " + out.size(0) + " rows for " + n + " images");
                int e = (int) (out.total() / n);
                float[] flat = new float[n * e];
                ((FloatBuffer) out.createBuffer()).get(flat);
                float[][] rows = new float[n][e];
                for (int i = 0; i < n; i++) System.arraycopy(flat, i * e, rows[i], 0, e);
                return rows;
            }
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
