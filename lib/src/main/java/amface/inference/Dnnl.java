package amface.inference;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;

import amface.nn.layers.OneDnn;

/**
 * The oneDNN engine and per-thread stream the inference engine runs on: its own, beside the training layers' (one
 * oneDNN library, loaded once by {@link OneDnn#available()}; engines and streams are cheap handles).
 */
final class Dnnl {
    private Dnnl() {
    }

    private static volatile engine engine;
    private static final ThreadLocal<stream> STREAM = ThreadLocal.withInitial(() -> new stream(engine()));

    static engine engine() {
        if (engine == null) {
            synchronized (Dnnl.class) {
                if (engine == null) {
                    if (!OneDnn.available()) throw new IllegalStateException(OneDnn.problem());
                    engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
                }
            }
        }
        return engine;
    }

    static stream stream() {
        return STREAM.get();
    }
}
