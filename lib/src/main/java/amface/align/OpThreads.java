package amface.align;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many OpenMP threads each native ND4J/oneDNN op may use. MTCNN's ops are small, so a dataset is aligned
 * fastest with one image per core and one thread per op; several multi-threaded ops at once oversubscribe the
 * cores and their spin-waits cost up to 10x (measured on a busy 2-core machine).
 */
public final class OpThreads {
    private OpThreads() { }

    /** Sets the OpenMP thread count of every later native op in this process; returns the previous count. */
    public static int set(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        Nd4j.scalar(0f); // loads the backend, which NativeOpsHolder needs
        int before = get();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        return before;
    }

    /**
     * Daemon threads named {@code name} whose native ops (ND4J's and oneDNN's, one OpenMP runtime) use one thread
     * each. OpenMP's thread count is per calling thread, so {@link #set} on the main thread does not reach pool
     * threads: without this, every MTCNN convolution on a 2-core machine forked 2 threads per image thread
     * (aligning measured 26 against 30 images/s).
     */
    public static java.util.concurrent.ThreadFactory oneEach(String name) {
        return r -> {
            Thread t = new Thread(() -> {
                set(1);
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The OpenMP thread count native ops use now. */
    public static int get() {
        Nd4j.scalar(0f);
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
