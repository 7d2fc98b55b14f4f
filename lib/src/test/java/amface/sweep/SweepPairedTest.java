package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

/** Each cell against a baseline, run by run, on hand-written rows; the sign test against brute-force enumeration. */
class SweepPairedTest {

    private static int next = 1;

    private static SweepRow row(int fold, long seed, String cell, double s, double accuracy) {
        String head = cell.contains(":") ? cell.substring(0, cell.indexOf(':')) : cell;
        return new SweepRow(String.format("%012x", next++), "lfw-foldout", fold, seed, cell, head, 0.35, s, false, "resface20", 500, 6000,
            accuracy, 0.02, accuracy + 0.1, 1 - accuracy, 0.5, 0.001, 1.0, Double.NaN, 600, 100, "2026-01-01T00:00:00Z");
    }

    @Test
    void pairsRunsOnTheSameFoldAndSeed() {
        List<SweepRow> rows = List.of(
            row(1, 1, "softmax", 1, 0.80), row(1, 2, "softmax", 1, 0.82), row(2, 1, "softmax", 1, 0.70), row(2, 2, "softmax", 1, 0.75),
            row(1, 1, "am:0.35", 30, 0.83), row(1, 2, "am:0.35", 30, 0.82), row(2, 1, "am:0.35", 30, 0.74), row(2, 2, "am:0.35", 30, 0.73),
            row(1, 1, "normface", 30, 0.78), row(3, 1, "normface", 30, 0.90),   // fold 3 has no softmax run: not paired
            row(4, 1, "arc:0.5", 30, 0.99));                                      // nothing to pair with: no row
        Table t = SweepPaired.against(rows, "softmax");
        assertEquals(List.of("am:0.35", "normface"), t.stringColumn("cell").asList());
        assertArrayEquals(new int[] {4, 1}, t.intColumn("pairs").asIntArray());
        // am: differences +0.03, 0, +0.04, -0.02
        assertArrayEquals(new double[] {0.0125, -0.02}, t.doubleColumn("accuracyDiff").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(0.0022750 / 4), 0}, t.doubleColumn("accuracyDiffStd").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.0125, -0.02}, t.doubleColumn("aucDiff").asDoubleArray(), 1e-12);
        assertArrayEquals(new int[] {2, 0}, t.intColumn("wins").asIntArray());
        assertArrayEquals(new int[] {1, 0}, t.intColumn("ties").asIntArray());
        assertArrayEquals(new int[] {1, 1}, t.intColumn("losses").asIntArray());
        assertArrayEquals(new double[] {1, 1}, t.doubleColumn("signP").asDoubleArray(), 1e-12);

        String md = SweepMarkdown.paired(t);
        assertTrue(md.contains("| am:0.35 | resface20 | 4 | +1.25 ± 2.38 | +1.25 ± 2.38 | 2 / 1 / 1 | 1.000 |"), md);
        assertTrue(md.contains("| normface | resface20 | 1 | -2.00 ± 0.00 |"), md);
        assertTrue(md.contains("accuracy - softmax (points)"), md);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPaired.against(rows, "arc:0.2"));
        assertTrue(e.getMessage().contains("'arc:0.2'") && e.getMessage().contains("am:0.35"), e.getMessage());
    }

    @Test
    void equalAccuraciesWithFloatingNoiseAreAnExactTie() {
        // the converged grid's am:0.2 and normface, fold 1 seed 2: 0.9 and 0.9000000000000001 (sub-fold sums in another order)
        List<SweepRow> rows = List.of(row(1, 2, "normface", 30, 0.9000000000000001), row(1, 2, "am:0.2", 30, 0.9),
            row(1, 1, "normface", 30, 0.895), row(1, 1, "am:0.2", 30, 0.8950000000000001));
        Table t = SweepPaired.against(rows, "normface");
        assertEquals(0.0, t.doubleColumn("accuracyDiff").get(0), "exactly 0, not -5.6e-17");
        assertEquals(0.0, t.doubleColumn("accuracyDiffStd").get(0));
        assertArrayEquals(new int[] {2}, t.intColumn("ties").asIntArray());
        assertTrue(SweepMarkdown.paired(t).contains("| am:0.2 | resface20 | 2 | +0.00 ± 0.00 |"), SweepMarkdown.paired(t));
    }

    @Test
    void aBaselineAtSeveralScalesIsMatchedAtTheRunsOwnScale() {
        List<SweepRow> rows = List.of(row(1, 1, "normface", 16, 0.70), row(1, 1, "normface", 30, 0.80),
            row(1, 1, "am:0.35", 30, 0.85), row(1, 1, "am:0.35", 16, 0.72));
        Table t = SweepPaired.against(rows, "normface");
        assertArrayEquals(new double[] {30, 16}, t.doubleColumn("s").asDoubleArray());
        assertArrayEquals(new double[] {0.05, 0.02}, t.doubleColumn("accuracyDiff").asDoubleArray(), 1e-12);
    }

    @Test
    void signTestMatchesEnumeratingEveryOutcome() {
        assertEquals(2 * (1 + 10 + 45) / 1024.0, SweepPaired.signTestP(8, 2), 1e-15);
        assertEquals(1, SweepPaired.signTestP(0, 0));
        for (int n = 1; n <= 12; n++) {
            for (int wins = 0; wins <= n; wins++) {
                int losses = n - wins;
                // P(|heads - tails| >= |wins - losses|) over all 2^n equally likely outcomes
                int extreme = 0;
                for (int outcome = 0; outcome < (1 << n); outcome++) {
                    int heads = Integer.bitCount(outcome);
                    if (Math.abs(2 * heads - n) >= Math.abs(wins - losses)) extreme++;
                }
                assertEquals((double) extreme / (1 << n), SweepPaired.signTestP(wins, losses), 1e-12, wins + " wins, " + losses + " losses");
            }
        }
    }

    @Test
    void theSummaryMarkdownAddsThePairedTables(@TempDir Path out) throws Exception {
        SweepResults results = SweepResults.read(out);
        List<SweepRow> rows = new ArrayList<>(List.of(row(1, 1, "softmax", 1, 0.80), row(1, 1, "normface", 30, 0.81), row(1, 1, "am:0.35", 30, 0.84)));
        rows.forEach(results::add);
        String md = results.markdown();
        assertTrue(md.contains("accuracy - softmax (points)") && md.contains("accuracy - normface (points)"), md);
        assertTrue(md.contains("| am:0.35 | resface20 | 1 | +3.00 ± 0.00 | +3.00 ± 0.00 | 1 / 0 / 0 | 1.000 |"), md);
        results.writeSummary();
        assertEquals(md, Files.readString(out.resolve(SweepResults.SUMMARY_MD)));
    }
}
