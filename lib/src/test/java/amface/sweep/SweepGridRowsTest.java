package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder shared by two grids (a pilot written into the grid's folder so that shared runs train once): each grid's
 * summary covers its own runs, and results.csv keeps every row.
 */
class SweepGridRowsTest {

    private static String row(String hash, String cell, String head, double m, double accuracy) {
        return String.join(",", hash, "synthetic", "0", "1", cell, head, Double.toString(m), "10.0", "false", "tiny", "6", "36",
            Double.toString(accuracy), "0.01", "0.9", "0.1", "0.5", "0.001", "1.5", "", "10", "12", "2026-01-01T00:00:00Z");
    }

    @Test
    void theSummaryCoversTheGridsRunsAndResultsKeepsTheOthers(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("tiny.properties");
        Files.writeString(config, SweepTest.tinyConfig(10));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Sweep sweep = Sweep.of(SweepConfig.load(config)).out(out);
        List<SweepRun> runs = sweep.runs();
        assertEquals(3, runs.size());

        List<String> lines = new ArrayList<>(List.of(String.join(",", SweepRow.COLUMNS)));
        double accuracy = 0.7;
        for (SweepRun r : runs) lines.add(row(r.hash(), r.cell().toString(), r.cell().head(), r.cell().m(), accuracy += 0.05));
        lines.add(row("0123456789ab", "am:0.1", "am", 0.1, 0.99)); // another grid's run
        Files.write(out.resolve(SweepResults.FILE), lines);

        SweepResults grid = sweep.summarise();
        assertEquals(3, grid.size());
        assertEquals(List.of("softmax", "normface", "am:0.3"), grid.summary().stringColumn("cell").asList());
        String md = Files.readString(out.resolve(SweepResults.SUMMARY_MD));
        assertTrue(!md.contains("99.00"), "the other grid's row is not in the summary:\n" + md);
        assertThrows(IllegalStateException.class, () -> grid.add(SweepRow.parse(row("ba9876543210", "am:0.2", "am", 0.2, 0.5), "test")),
            "a selection must not rewrite results.csv without the other rows");

        // Every run has a row: run() trains nothing, returns the grid's rows and leaves results.csv whole.
        SweepResults ran = sweep.run();
        assertEquals(3, ran.size());
        assertEquals(4, SweepResults.read(out).size());
        assertTrue(SweepResults.read(out).contains("0123456789ab"));
    }
}
