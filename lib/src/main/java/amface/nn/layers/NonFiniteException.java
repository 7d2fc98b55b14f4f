package amface.nn.layers;

/** NaN or Inf reached a layer during training: a clear error instead of silently poisoned weights. */
public class NonFiniteException extends IllegalStateException {
    public NonFiniteException(String message) {
        super(message);
    }
}
