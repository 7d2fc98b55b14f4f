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

    /** The OpenMP thread count native ops use now. */
    public static int get() {
        Nd4j.scalar(0f);
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
