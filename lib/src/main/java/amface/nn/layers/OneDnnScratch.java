package amface.nn.layers;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Per-thread native work buffers for the blocked copies that Winograd convolutions read and write (input,
 * output, gradients in nChw16c; training's transformed weights), shared by every layer: layers run one after another, so one buffer per role is
 * enough, where buffers per layer cost four activations each (7 GB peak for L-ResNet50E-IR training at batch 32).
 * 64-byte aligned, grown on demand, never shrunk.
 */
final class OneDnnScratch {
    private OneDnnScratch() { }

    /** Roles whose buffers must not alias within one convolution call. */
    static final int SRC = 0;
    static final int DST = 1;
    static final int DIFF_DST = 2;
    static final int DIFF_SRC = 3;
    /** Training's per-call weight reorders (Winograd weights are 4x the plain ones). */
    static final int WEIGHTS = 4;
    static final int DIFF_WEIGHTS = 5;
    private static final int ROLES = 6;
    private static final int ALIGN = 64;

    private static final ThreadLocal<BytePointer[]> BUFFERS = ThreadLocal.withInitial(() -> new BytePointer[ROLES]);

    /** An aligned buffer of at least {@code bytes} for {@code role} on this thread (valid until the next call). */
    static Pointer get(int role, long bytes) {
        BytePointer[] b = BUFFERS.get();
        if (b[role] == null || b[role].capacity() < bytes + ALIGN) {
            if (b[role] != null) b[role].deallocate();
            b[role] = new BytePointer(bytes + ALIGN);
        }
        long address = b[role].address();
        return new OneDnn.Address((address + ALIGN - 1) & -ALIGN);
    }
}
