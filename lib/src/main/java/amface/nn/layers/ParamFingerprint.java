package amface.nn.layers;

import java.nio.ByteOrder;
import java.nio.IntBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 64-bit fingerprint of a dense float array's bits, to tell whether parameters changed since weights were folded
 * and reordered for inference. DL4J's updater, {@code setParams} and ParallelWrapper's averaging all write into
 * the parameter views without telling the layers, so the content is what is compared. Sixteen independent lanes
 * of multiply-add so the JIT vectorises it: ~45 MB of ResFace20 conv parameters hash in a few ms.
 */
final class ParamFingerprint {
    private ParamFingerprint() { }

    private static final int LANES = 16;
    private static final int BLOCK = 4096;
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[BLOCK]);

    static long of(INDArray a) {
        if (!HostBuffer.supports(a) || a.dataType().width() != 4) {
            throw new IllegalArgumentException("fingerprint needs a dense float array, got " + a.dataType() + " " + a.ordering());
        }
        IntBuffer b = a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
        int offset = (int) a.offset(), n = (int) a.length();
        int[] block = SCRATCH.get();
        int[] acc = new int[LANES];
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            b.get(offset + from, block, 0, len);
            int full = len - len % LANES;
            for (int i = 0; i < full; i += LANES) {
                for (int j = 0; j < LANES; j++) acc[j] = acc[j] * 0x01000193 + block[i + j];
            }
            for (int i = full; i < len; i++) acc[i - full] = acc[i - full] * 0x01000193 + block[i] + 1;
        }
        long h = n;
        for (int v : acc) h = h * 0x9E3779B97F4A7C15L + v;
        return h ^ (h >>> 29);
    }
}
