package amface.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search benchmark on a small gallery: every figure is measured (no NaN where it should not be), HNSW finds
 * nearly all of exact search's neighbours on face-like clusters, and the table names the machine's sgemm rate the
 * ratio is taken against. Speed itself is not asserted: the machine is shared. The full figures (10 k, 100 k, 1 M)
 * come from {@code amface index bench}.
 */
class SearchBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void measuresEveryFigureOnASmallGallery() throws Exception {
        SearchBenchmark.Result r = SearchBenchmark.builder().sizes(3000).dimension(64).probes(40).work(tmp).run();
        assertEquals(1, r.rows().size());
        SearchBenchmark.Row row = r.rows().get(0);
        assertEquals(3000, row.size());
        assertTrue(r.sgemmGflops() > 0 && row.sgemmGflops() > 0 && row.exactNd4jGflops() > 0 && row.exactJavaGflops() > 0, row.toString());
        assertTrue(row.hnswBuildSeconds() > 0 && row.hnswLatencyMs() > 0, row.toString());
        assertTrue(row.recallAt1() >= 0.95 && row.recallAt10() >= 0.9, "HNSW recall on clustered vectors: " + row);
        assertTrue(r.table().contains("machine sgemm") && r.table().contains("recall@10"), r.table());
        if (ExactSearch.bf16Problem() == null) {   // bf16 exact search beside fp32 where the CPU has it
            SearchBenchmark.Bf16 b = row.bf16();
            assertTrue(b != null && b.gflops() > 0 && b.latencyMs() > 0 && b.rank1Agreement() >= 0.95 && b.recallAt10() >= 0.95, row.toString());
            assertTrue(b.maxScoreError() > 0 && b.maxScoreError() <= Math.pow(2, -8), "bf16 scores within 2^-8 of fp32's: " + b);
            assertTrue(r.table().contains("exact bf16"), r.table());
        } else {
            assertEquals(null, row.bf16());
        }
    }
}
