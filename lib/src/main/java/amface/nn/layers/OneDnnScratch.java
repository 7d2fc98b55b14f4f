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

    /**
     * Roles whose buffers must not alias within one convolution call; {@code WEIGHTS} and {@code DIFF_WEIGHTS} are
     * training's per-call weight reorders (Winograd weights are 4x the plain ones).
     */
    enum Role { SRC, DST, DIFF_DST, DIFF_SRC, WEIGHTS, DIFF_WEIGHTS }

    private static final int ALIGN = 64;

    private static final ThreadLocal<BytePointer[]> BUFFERS = ThreadLocal.withInitial(() -> new BytePointer[Role.values().length]);

    /** An aligned buffer of at least {@code bytes} for {@code role} on this thread (valid until the next call). */
    static Pointer get(Role role, long bytes) {
        BytePointer[] b = BUFFERS.get();
        int r = role.ordinal();
        if (b[r] == null || b[r].capacity() < bytes + ALIGN) {
            if (b[r] != null) b[r].deallocate();
            b[r] = new BytePointer(bytes + ALIGN);
        }
        long address = b[r].address();
        return new OneDnn.Address((address + ALIGN - 1) & -ALIGN);
    }
}
