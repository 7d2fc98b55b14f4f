package amface.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * bf16 exact search (oneDNN matmul, bf16 inputs, f32 scores) against fp32 exact search and a double-precision
 * reference: every score equals the double dot product of the bf16-rounded vectors to f32 accumulation error, and
 * lies within 2^-8 of the fp32 score (each input keeps 8 significant bits: a relative error of at most 2^-9 per
 * value, at most 2^-8 on a dot product of unit vectors); rank 1 agrees with fp32 except between scores closer than
 * that bound, and recall@10 is at least 0.99. Runs where the CPU has AVX512-BF16 or AMX; skips, saying so, elsewhere.
 */
class Bf16ExactSearchTest {
    private static final double BOUND = Math.pow(2, -8);

    @Test
    void bf16ScoresAreTheRoundedInputsProductsAndRanksAgreeWithFp32() {
        assumeTrue(ExactSearch.bf16Problem() == null, "bf16 exact search needs AVX512-BF16 or AMX: " + ExactSearch.bf16Problem());
        int dim = 128;
        Gallery g = GalleryIndexTest.clustered(1100, 9, dim, 11, false);   // 9,900 rows: a full block and a partial one
        float[][] probes = GalleryIndexTest.probes(300, dim, 12);            // two probe batches, the second partial
        for (int i = 0; i < 150; i++) probes[i] = g.vector(i * 61 % g.size()).clone();  // half of them gallery faces
        List<List<SearchHit>> fp32, bf16;
        try (ExactSearch a = ExactSearch.of(g); ExactSearch b = ExactSearch.of(g).withKernel(ExactSearch.Kernel.BF16)) {
            fp32 = a.search(probes, 10);
            bf16 = b.search(probes, 10);
            assertTrue(b.bf16Implementation().length() > 0);
            // a single probe (another primitive shape) scores as in the batch
            List<SearchHit> one = b.search(probes[7], 10);
            assertEquals(bf16.get(7).get(0).entry().id(), one.get(0).entry().id());
            assertEquals(bf16.get(7).get(0).score(), one.get(0).score(), 1e-6);
        }
        int agree = 0, found = 0;
        double maxError = 0;
        for (int i = 0; i < probes.length; i++) {
            float[] q = Vectors.normalised(probes[i], "probe");
            for (SearchHit h : bf16.get(i)) {
                float[] v = g.vector((int) h.entry().id());
                double rounded = 0, exact = 0;
                for (int j = 0; j < dim; j++) {
                    rounded += (double) Bf16Matmul.fromBf16(Bf16Matmul.toBf16(q[j])) * Bf16Matmul.fromBf16(Bf16Matmul.toBf16(v[j]));
                    exact += (double) q[j] * v[j];
                }
                assertEquals(rounded, h.score(), 1e-5, "the product of the bf16 inputs, summed in f32");
                maxError = Math.max(maxError, Math.abs(h.score() - exact));
            }
            SearchHit top32 = fp32.get(i).get(0), top16 = bf16.get(i).get(0);
            if (top32.entry().id() == top16.entry().id()) agree++;
            else assertTrue(top32.score() - fp32Score(fp32.get(i), top16.entry().id(), g, q) <= 2 * BOUND, "probe " + i + ": rank 1 swapped between scores far apart");
            for (SearchHit h : bf16.get(i)) if (fp32.get(i).stream().anyMatch(x -> x.entry().id() == h.entry().id())) found++;
        }
        assertTrue(maxError <= BOUND, "score error " + maxError + " above 2^-8");
        assertTrue(agree >= 0.98 * probes.length, "rank 1 agrees for " + agree + " of " + probes.length);
        assertTrue(found >= 0.99 * 10 * probes.length, "recall@10 " + found / (10.0 * probes.length));
        // rounding to nearest, ties to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7 (odd), 1 + 3 * 2^-8 between 1 + 2^-7 and 1 + 2^-6
        assertEquals(1.0f, Bf16Matmul.fromBf16(Bf16Matmul.toBf16(1.00390625f)));
        assertEquals(1.015625f, Bf16Matmul.fromBf16(Bf16Matmul.toBf16(1.01171875f)));
        assertEquals(-1.0078125f, Bf16Matmul.fromBf16(Bf16Matmul.toBf16(-1.0078f)));
    }

    /** The fp32 score of gallery row {@code id} for the probe (recomputed when it is not in the probe's top 10). */
    private static double fp32Score(List<SearchHit> hits, long id, Gallery g, float[] q) {
        for (SearchHit h : hits) if (h.entry().id() == id) return h.score();
        float[] v = g.vector((int) id);
        double s = 0;
        for (int j = 0; j < q.length; j++) s += (double) q[j] * v[j];
        return s;
    }
}
