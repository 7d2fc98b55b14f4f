package amface.nn.layers;

import org.bytedeco.dnnl.global.dnnl;

/**
 * The instruction set oneDNN dispatches to on this CPU, as oneDNN itself sees it: its effective ISA already
 * honours {@code ONEDNN_MAX_CPU_ISA}, so capping it there (tests do) changes what amface picks the same way it
 * changes oneDNN's kernels. A CPU "has bf16" when oneDNN may use {@code avx512_core_bf16} or AMX.
 *
 * <p>oneDNN 2.5 reports AMX only where the CPU has it and the OS has granted the process the tile state
 * ({@code arch_prctl(ARCH_REQ_XCOMP_PERM)}); on a CPU without AMX (AMD Zen 4, for one) bf16 runs on
 * AVX512-BF16's dot-product instructions instead.
 */
public record CpuIsa(String name, boolean bf16, boolean amx) {

    private static volatile CpuIsa current;

    /** What oneDNN dispatches to here; {@code none} (no bf16) where oneDNN is not usable or not on the CPU backend. */
    public static CpuIsa current() {
        CpuIsa c = current;
        if (c == null) {
            c = detect();
            current = c;
        }
        return c;
    }

    private static CpuIsa detect() {
        if (!OneDnn.cpuBackend() || !OneDnn.available()) return new CpuIsa("none", false, false);
        return of(dnnl.dnnl_get_effective_cpu_isa());
    }

    /** The ISA of oneDNN's bit mask (each ISA's mask contains those of the ISAs it extends). */
    static CpuIsa of(int isa) {
        boolean amx = covers(isa, dnnl.dnnl_cpu_isa_avx512_core_amx);
        boolean bf16 = covers(isa, dnnl.dnnl_cpu_isa_avx512_core_bf16);
        String name = amx ? "avx512_core_amx"
            : bf16 ? "avx512_core_bf16"
            : covers(isa, dnnl.dnnl_cpu_isa_avx512_core_vnni) ? "avx512_core_vnni"
            : covers(isa, dnnl.dnnl_cpu_isa_avx512_core) ? "avx512_core"
            : covers(isa, dnnl.dnnl_cpu_isa_avx2_vnni) ? "avx2_vnni"
            : covers(isa, dnnl.dnnl_cpu_isa_avx2) ? "avx2"
            : covers(isa, dnnl.dnnl_cpu_isa_avx) ? "avx"
            : covers(isa, dnnl.dnnl_cpu_isa_sse41) ? "sse41" : "none";
        return new CpuIsa(name, bf16, amx);
    }

    private static boolean covers(int isa, int mask) {
        return mask != 0 && (isa & mask) == mask;
    }
}
