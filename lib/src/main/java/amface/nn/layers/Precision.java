package amface.nn.layers;

import java.util.Locale;

/**
 * The number format the backbone's convolutions compute in: {@code fp32}, {@code bf16} (mixed precision: see
 * the training layers for what stays fp32), or {@code auto}, which is bf16 where oneDNN has bf16 kernels on this
 * CPU ({@link CpuIsa#bf16()}: AVX512-BF16 or AMX) and fp32 everywhere else, including the CUDA backend, whose
 * path stays fp32 (it cannot be verified on a GPU here).
 *
 * <pre>{@code
 * Precision p = Precision.parse("auto").resolve();   // BF16 on an AVX512-BF16 CPU, else FP32
 * }</pre>
 */
public enum Precision {
    FP32, BF16, AUTO;

    /** {@code fp32}, {@code bf16} or {@code auto} (any case); anything else is an error naming the value. */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.toString().equalsIgnoreCase(text.trim())) return p;
        }
        throw new IllegalArgumentException("precision must be fp32, bf16 or auto, got '" + text + "'");
    }

    /**
     * The precision that runs: {@code auto} decided for this CPU; {@code bf16} where it cannot run is an error
     * saying why (never a silent fallback to fp32).
     */
    public Precision resolve() {
        return switch (this) {
            case FP32 -> FP32;
            case AUTO -> bf16Problem() == null ? BF16 : FP32;
            case BF16 -> {
                String why = bf16Problem();
                if (why != null) throw new IllegalArgumentException("precision bf16 is not available here: " + why + "; use fp32 or auto");
                yield BF16;
            }
        };
    }

    /** Why bf16 cannot run here, or null when it can. */
    public static String bf16Problem() {
        if (!OneDnn.cpuBackend()) return "bf16 runs on the CPU backend's oneDNN path only (the CUDA path stays fp32)";
        if (!OneDnn.available()) return OneDnn.problem();
        if ("nd4j".equals(System.getProperty("amface.nn.conv"))) return "amface.nn.conv=nd4j selects libnd4j's fp32 convolutions";
        CpuIsa isa = CpuIsa.current();
        if (!isa.bf16()) return "oneDNN sees " + isa.name() + " on this CPU, without AVX512-BF16 or AMX";
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
