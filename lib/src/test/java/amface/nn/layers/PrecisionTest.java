package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.dnnl.global.dnnl;
import org.junit.jupiter.api.Test;

class PrecisionTest {
    @Test
    void parsesTheThreeNamesAndNamesABadValue() {
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals(Precision.AUTO, Precision.parse("Auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("'fp16'"), e.getMessage());
    }

    @Test
    void isaMasksAreReadAsOneDnnDefinesThem() {
        OneDnn.available();
        CpuIsa amx = CpuIsa.of(dnnl.dnnl_cpu_isa_avx512_core_amx);
        assertTrue(amx.amx() && amx.bf16());
        assertEquals("avx512_core_amx", amx.name());
        CpuIsa bf16 = CpuIsa.of(dnnl.dnnl_cpu_isa_avx512_core_bf16);
        assertTrue(bf16.bf16());
        assertFalse(bf16.amx());
        assertEquals("avx512_core_bf16", bf16.name());
        for (int isa : new int[] {dnnl.dnnl_cpu_isa_avx512_core_vnni, dnnl.dnnl_cpu_isa_avx512_core, dnnl.dnnl_cpu_isa_avx2,
                dnnl.dnnl_cpu_isa_avx2_vnni}) {
            assertFalse(CpuIsa.of(isa).bf16(), CpuIsa.of(isa).name());
        }
        assertEquals("avx2", CpuIsa.of(dnnl.dnnl_cpu_isa_avx2).name());
    }

    @Test
    void autoFollowsTheCpuAndAnUnsupportedBf16IsAnError() {
        boolean bf16 = Precision.bf16Problem() == null;
        assertEquals(bf16 ? Precision.BF16 : Precision.FP32, Precision.AUTO.resolve());
        assertEquals(Precision.FP32, Precision.FP32.resolve());
        if (bf16) {
            assertEquals(Precision.BF16, Precision.BF16.resolve());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Precision.BF16::resolve);
            assertTrue(e.getMessage().contains("not available here"), e.getMessage());
        }
    }
}
