package amface.onnx;

/** An ONNX file that cannot be imported: the message names the file and, where one is at fault, the node. */
public class OnnxImportException extends IllegalArgumentException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
