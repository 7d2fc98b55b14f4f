package amface.onnx;

/** A model that cannot be written as ONNX: the message names the vertex or value that does not fit. */
public class OnnxExportException extends IllegalArgumentException {
    public OnnxExportException(String message) {
        super(message);
    }
}
