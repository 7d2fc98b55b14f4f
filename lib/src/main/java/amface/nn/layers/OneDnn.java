package amface.nn.layers;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN (JavaCPP's {@code org.bytedeco:dnnl}, v2.5) called directly by the CPU convolutions. libnd4j M2.1 bundles
 * oneDNN 2.3 and creates a new primitive (JIT code generation and a weight reorder) on every {@code conv2d} call,
 * and never picks Winograd; here primitives are created once per layer and input shape and kept.
 *
 * <p>The path is used only on the CPU backend, for float32 arrays, and unless the system property
 * {@code amface.nn.conv=nd4j} asks for libnd4j's {@code conv2d} (the path every other backend takes). The
 * presets' libdnnl.so.2 is loaded next to libnd4jcpu.so, which carries its own oneDNN with exported
 * {@code dnnl_*} symbols; both are loaded without RTLD_GLOBAL, so each binds to its own copy
 * ({@code OneDnnConvolutionTest} runs both in one JVM and compares).
 */
public final class OneDnn {
    private OneDnn() { }

    private static final boolean CPU =
        "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));

    private static volatile engine engine;
    private static volatile String loadProblem;
    private static final ThreadLocal<stream> STREAM = ThreadLocal.withInitial(() -> new stream(engine()));

    /** Whether ND4J runs on its CPU backend (the only one this path serves). */
    static boolean cpuBackend() {
        return CPU;
    }

    /** True when convolutions on these arrays run through oneDNN directly. */
    public static boolean usable(INDArray... arrays) {
        if (!CPU || "nd4j".equals(System.getProperty("amface.nn.conv"))) return false;
        for (INDArray a : arrays) {
            if (a != null && (a.dataType() != DataType.FLOAT || !HostBuffer.supports(a))) return false;
        }
        return available();
    }

    /** Whether the oneDNN library loaded (once per JVM); see {@link #problem()} when not. */
    public static boolean available() {
        if (engine == null && loadProblem == null) {
            synchronized (OneDnn.class) {
                if (engine == null && loadProblem == null) {
                    try {
                        Loader.load(dnnl.class);
                        engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
                    } catch (Throwable t) {
                        loadProblem = "oneDNN could not be loaded: " + t;
                    }
                }
            }
        }
        return engine != null;
    }

    /** Why oneDNN is unavailable, or null. */
    public static String problem() {
        available();
        return loadProblem;
    }

    /** Version of the oneDNN library this path calls, e.g. {@code 2.5.2}. */
    public static String version() {
        if (!available()) return "unavailable";
        var v = dnnl.dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }

    /** The CPU engine (the library loaded once); an IllegalStateException naming the problem when oneDNN is unusable. */
    public static engine engine() {
        if (!available()) throw new IllegalStateException(loadProblem);
        return engine;
    }

    static stream stream() {
        return STREAM.get();
    }

    /** A raw address as a JavaCPP pointer (position 0), for {@code memory.set_data_handle}. */
    static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    /** The address of a dense float array's first element (its offset applied). */
    static Pointer address(INDArray a) {
        return new Address(a.data().address() + a.offset() * a.dataType().width());
    }

    static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }
}
