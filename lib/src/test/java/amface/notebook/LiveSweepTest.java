package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

import amface.sweep.Sweep;
import amface.sweep.SweepResults;

/** A two-cell synthetic sweep shown live, then shown again from its folder (nothing retrained, curves replayed). */
class LiveSweepTest {

    private static Path config(Path dir) throws Exception {
        Path f = dir.resolve("tiny.properties");
        Files.writeString(f, String.join("\n",
            "channels = 4,8,8,8", "units = 0,0,1,0", "input = 24x20", "embeddingSize = 16", "dropoutKeep = 1",
            "s = 10", "optimizer = adam", "lr = 0.003", "lrPolicy = constant", "batch = 8", "steps = 8",
            "checkpointEvery = 4", "verifyEvery = 4", "cropPadding = 2", "loaderThreads = 1",
            "sweep.protocol = synthetic", "sweep.cells = softmax, am:0.3", "sweep.seeds = 1",
            "sweep.synthetic.people = 6", "sweep.synthetic.imagesPerPerson = 6", "sweep.synthetic.heldOutPeople = 4",
            "sweep.synthetic.pairs = 40", "sweep.synthetic.size = 24x20", "sweep.synthetic.difficulty = 0.1", ""));
        return f;
    }

    @Test
    void plotsEveryRunAndReplaysFinishedOnesFromTheirMetrics(@TempDir Path dir) throws Exception {
        Path config = config(dir), out = dir.resolve("sweep");
        LiveSweep live = LiveSweep.create().plotEvery(2);
        SweepResults r = live.run(Sweep.load(config).out(out));
        assertEquals(2, r.size());
        assertEquals(r, live.results());
        assertFalse(LiveTraining.isRunning());
        assertTrue(live.progress().text().contains("2 runs in"), live.progress().text());
        for (String cell : List.of("softmax", "am:0.3")) {
            double[][] loss = live.chart().series("loss", cell);
            assertArrayEquals(new double[] {2, 4, 6, 8}, loss[0], 0, "every 2nd step of " + cell);
            double[][] verification = live.chart().series("verification accuracy", cell);
            assertArrayEquals(new double[] {4, 8}, verification[0], 0, cell);
        }
        Table shown = LiveSweep.shown(r);
        assertEquals(LiveSweep.COLUMNS, shown.columnNames());
        assertEquals(2, shown.rowCount());

        // A new session: every run is skipped, its loss curve read back from its metrics.csv.
        LiveSweep again = LiveSweep.create().plotEvery(2);
        SweepResults r2 = again.run(Sweep.load(config).out(out));
        assertEquals(r.rows(), r2.rows());
        for (String cell : List.of("softmax", "am:0.3")) {
            assertArrayEquals(live.chart().series("loss", cell)[0], again.chart().series("loss", cell)[0], 0, cell);
            assertArrayEquals(live.chart().series("loss", cell)[1], again.chart().series("loss", cell)[1], 1e-6, cell);
        }
        assertThrows(IllegalArgumentException.class, () -> LiveSweep.create().plotEvery(0));
    }
}
