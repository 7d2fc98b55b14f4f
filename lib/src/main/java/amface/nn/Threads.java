package amface.nn;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import amface.nn.layers.BatchNormPrelu;

/** Sets the CPU threads of everything amface computes with: libnd4j's OpenMP pool (oneDNN) and the host loops. */
public final class Threads {
    private Threads() { }

    public static void set(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive: " + threads);
        Nd4j.getExecutioner(); // loads the backend before its native ops are touched
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        BatchNormPrelu.setHostThreads(threads);
    }
}
