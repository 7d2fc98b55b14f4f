package amface.nn.layers;

/**
 * The precision the backbone layers train in, for this process: {@link Precision#FP32} unless a training run
 * (or the bench) sets another for its duration. bf16 here is mixed precision: only the convolutions' multiplies
 * run in bf16 (oneDNN converts the float inputs and weights on its reorders and accumulates in fp32); the
 * master weights, the optimizer state, batch-norm statistics and their arithmetic, the residual adds, the
 * embedding, the margin head and the loss all stay fp32 (arcface_torch keeps its last layer fp32 for the same
 * reason: the logits' small margins need fp32's mantissa). Inference ({@code training = false}) is unaffected.
 *
 * <p>Why no loss scaling: fp16 needs it because its 5-bit exponent flushes gradients below ~6e-8 to zero;
 * bf16 keeps fp32's 8-bit exponent (the same range, ~1e-38 to ~3e38) and drops only mantissa bits, so small
 * gradients survive unscaled (PyTorch's CPU autocast uses no GradScaler for bf16 either).
 *
 * <p>A process-wide setting rather than a layer field: DL4J recreates layers from their configuration (clones,
 * ParallelWrapper replicas, checkpoints), and precision must not enter the configuration, which is part of the
 * model's fingerprint. Training runs one after another in a process, so one setting at a time suffices.
 *
 * <pre>{@code
 * try (var scope = MixedPrecision.use(Precision.AUTO)) {   // resolved: bf16 on an AVX512-BF16 CPU
 *     graph.fit(batch);                                       // convolutions in bf16
 * }
 * }</pre>
 */
public final class MixedPrecision {
    private MixedPrecision() { }

    private static volatile Precision current = Precision.FP32;

    /** The resolved precision training layers run in now (never {@code AUTO}). */
    public static Precision current() {
        return current;
    }

    /** True when training convolutions run in bf16. */
    static boolean bf16() {
        return current == Precision.BF16;
    }

    /**
     * Trains in {@code p} (resolved here: {@code auto} decided, an unavailable bf16 an error) until the returned
     * scope is closed, which restores the previous setting.
     */
    public static Scope use(Precision p) {
        Precision previous = current;
        current = p.resolve();
        return () -> current = previous;
    }

    /** For people: {@code bf16 (avx512_core_bf16)} or {@code fp32}. */
    public static String describe(Precision resolved) {
        return resolved == Precision.BF16 ? "bf16 (" + CpuIsa.current().name() + ")" : resolved.toString();
    }

    /** Restores the previous precision when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
