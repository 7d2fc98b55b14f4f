package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import tech.tablesaw.api.Table;

import amface.eval.VerificationEvaluator;
import amface.eval.VerificationResult;

/** The summary of a hand-written results.csv: mean and population std by cell, the Markdown table, the plot. */
class SweepSummaryTest {

    private static final String HEADER = String.join(",", SweepRow.COLUMNS);

    private static String row(String hash, int fold, long seed, String cell, String head, double m, double s, double acc, double accStd, double auc, double eer) {
        return String.join(",", hash, "lfw-foldout", Integer.toString(fold), Long.toString(seed), cell, head, Double.toString(m), Double.toString(s), "false",
            "resface20", "100", "900", Double.toString(acc), Double.toString(accStd), Double.toString(auc), Double.toString(eer), "0.5", "0.001", "1.5", "",
            "30", Double.toString(100.0 * fold), "2026-01-01T00:00:00Z");
    }

    @Test
    void meanAndStdByCellOverFoldsAndSeeds(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve(SweepResults.FILE), String.join("\n", HEADER,
            row("000000000001", 1, 1, "am:0.35", "am", 0.35, 30, 0.90, 0.02, 0.95, 0.10),
            row("000000000002", 1, 1, "softmax", "softmax", 0, 1, 0.70, 0.03, 0.80, 0.30),
            row("000000000003", 2, 1, "am:0.35", "am", 0.35, 30, 0.80, 0.04, 0.93, 0.12),
            row("000000000004", 1, 1, "normface", "normface", 0, 30, 0.75, 0.05, 0.85, 0.20),
            row("000000000005", 3, 1, "am:0.35", "am", 0.35, 30, 0.85, 0.06, 0.94, 0.14),
            row("000000000006", 1, 2, "normface", "normface", 0, 30, 0.79, 0.01, 0.87, 0.18),
            row("000000000007", 1, 1, "am:0.2", "am", 0.2, 30, 0.82, 0.02, 0.90, 0.15), ""));
        SweepResults results = SweepResults.read(out);
        assertEquals(7, results.size());
        assertEquals(7, results.table().rowCount());

        Table t = results.summary();
        assertEquals(List.of("am:0.35", "softmax", "normface", "am:0.2"), t.stringColumn("cell").asList(), "cells in order of first appearance");
        assertArrayEquals(new int[] {3, 1, 2, 1}, t.intColumn("runs").asIntArray());
        double[] acc = t.doubleColumn("accuracy").asDoubleArray();
        assertArrayEquals(new double[] {0.85, 0.70, 0.77, 0.82}, acc, 1e-12);
        // population std: am 0.35 over (0.90, 0.80, 0.85) = sqrt(0.005 / 3); normface over (0.75, 0.79) = 0.02
        assertArrayEquals(new double[] {Math.sqrt(0.005 / 3), 0, 0.02, 0}, t.doubleColumn("accuracyStd").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.04, 0.03, 0.03, 0.02}, t.doubleColumn("foldStd").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.94, 0.80, 0.86, 0.90}, t.doubleColumn("auc").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(0.0002 / 3), 0, 0.01, 0}, t.doubleColumn("aucStd").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.12, 0.30, 0.19, 0.15}, t.doubleColumn("eer").asDoubleArray(), 1e-12);

        String md = results.markdown();
        assertArrayEquals(new double[] {200, 100, 100, 100}, t.doubleColumn("seconds").asDoubleArray(), 1e-12, "mean run time");
        assertTrue(md.contains("| am | 0.35 | 30 | resface20 | 3 | 85.00 ± 4.08 | 94.00 ± 0.82 | 12.00 ± 1.63 | 200 |"), md);
        assertTrue(md.contains("| softmax | - | 1 | resface20 | 1 | 70.00 ± 3.00* |"), md);

        XYChart chart = results.chart();
        assertEquals(List.of("am s=30, resface20", "softmax, resface20 (70.0% ± 3.0)", "normface s=30, resface20 (77.0% ± 2.0)"),
            List.copyOf(chart.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {0.2, 0.35}, chart.getSeriesMap().get("am s=30, resface20").getXData(), 1e-12, "sorted by m");
        assertArrayEquals(new double[] {0.82, 0.85}, chart.getSeriesMap().get("am s=30, resface20").getYData(), 1e-12);

        results.writeSummary();
        for (String f : List.of(SweepResults.SUMMARY_CSV, SweepResults.SUMMARY_MD, SweepResults.CHART_PNG)) assertTrue(Files.size(out.resolve(f)) > 100, f);
        assertTrue(Files.readString(out.resolve(SweepResults.SUMMARY_CSV)).startsWith(String.join(",", SweepSummary.COLUMNS)));
    }

    @Test
    void damagedResultsNameFileLineAndField(@TempDir Path out) throws Exception {
        Path file = out.resolve(SweepResults.FILE);
        Files.writeString(file, HEADER + "\n" + row("000000000001", 1, 1, "am:0.35", "am", 0.35, 30, 0.9, 0.02, 0.95, 0.1).replace("0.95", "high") + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepResults.read(out));
        assertTrue(e.getMessage().contains(file + ":2") && e.getMessage().contains("auc") && e.getMessage().contains("'high'"), e.getMessage());

        String r = row("000000000001", 1, 1, "am:0.35", "am", 0.35, 30, 0.9, 0.02, 0.95, 0.1);
        Files.writeString(file, HEADER + "\n" + r + "\n" + r + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepResults.read(out));
        assertTrue(e.getMessage().contains(file + ":3") && e.getMessage().contains("twice"), e.getMessage());

        Files.writeString(file, "a,b\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepResults.read(out));
        assertTrue(e.getMessage().contains(file + ":1"), e.getMessage());
    }

    @Test
    void rowsRoundTripAndVerificationIsRecomputedFromDistances(@TempDir Path out) throws Exception {
        SweepRow row = new SweepRow("abcdef012345", "synthetic", 0, 3, "am:0.35:learned-s", "am", 0.35, 30, true, "narrow", 12, 96,
            0.8125, 0.0625, 0.9, 0.15, 0.4, 0.001, 2.25, 17.5, 40, 3.5, "2026-01-01T00:00:00Z");
        SweepResults.read(out).add(row);
        assertEquals(row, SweepResults.read(out).get("abcdef012345"));

        double[] d = {0.1, 0.9, 0.2, 1.4, 0.3, 0.8, 1.1, 1.3, 0.5, 0.6, 0.2, 1.0, 0.4, 1.2, 0.7, 1.5, 0.1, 0.9, 0.3, 1.1};
        boolean[] same = new boolean[d.length];
        for (int i = 0; i < same.length; i++) same[i] = i % 2 == 0;
        VerificationResult v = VerificationEvaluator.standard().evaluateDistances(d, same);
        Path runDir = Files.createDirectories(out.resolve("runs").resolve("abcdef012345"));
        SweepResults.writeDistances(runDir, v);
        VerificationResult back = SweepResults.read(out).verification("abcdef012345");
        assertEquals(v.accuracyMean(), back.accuracyMean());
        assertEquals(v.auc(), back.auc());
        assertArrayEquals(v.foldAccuracy(), back.foldAccuracy());
    }
}
