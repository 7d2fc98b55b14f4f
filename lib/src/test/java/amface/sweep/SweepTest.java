package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.eval.VerificationResult;
import amface.io.FolderLock;
import amface.train.TrainingException;
import amface.train.StepMetrics;
import amface.train.TrainListener;
import amface.train.Trainer;

/** A tiny synthetic sweep in this JVM: every run trained and evaluated once; run again, nothing is repeated. */
class SweepTest {

    /** Three cells of a 24x20 network for {@code steps} steps on 6 synthetic people; 40 pairs of 4 held-out people. */
    static String tinyConfig(int steps) {
        return String.join("\n",
            "channels = 4,8,8,8", "units = 0,0,1,0", "input = 24x20", "embeddingSize = 16", "dropoutKeep = 1",
            "s = 10", "optimizer = adam", "lr = 0.003", "lrPolicy = constant", "batch = 8", "steps = " + steps,
            "checkpointEvery = 5", "cropPadding = 2", "loaderThreads = 1",
            "sweep.protocol = synthetic", "sweep.cells = softmax, normface, am:0.3", "sweep.seeds = 1",
            "sweep.synthetic.people = 6", "sweep.synthetic.imagesPerPerson = 6", "sweep.synthetic.heldOutPeople = 4",
            "sweep.synthetic.pairs = 40", "sweep.synthetic.size = 24x20", "sweep.synthetic.difficulty = 0.1", "");
    }

    /** Records what the sweep did with each run. */
    static final class Actions implements SweepListener {
        final List<String> seen = new ArrayList<>();
        final List<VerificationResult> results = new ArrayList<>();
        int steps;

        @Override public void runStarting(SweepRun run, int index, int total, Action action) { seen.add(index + "/" + total + " " + run.cell() + " " + action); }

        @Override public TrainListener trainListener(SweepRun run) {
            return new TrainListener() {
                @Override public void step(StepMetrics m) { steps++; }
            };
        }

        @Override public void runFinished(SweepRun run, SweepRow row, VerificationResult result) { results.add(result); }
    }

    @Test
    void aFinishedSweepDoesNothingTheSecondTimeAndAMissingRowIsEvaluatedOnly(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("tiny.properties");
        Files.writeString(config, tinyConfig(10));
        Path out = tmp.resolve("sweep");

        Actions first = new Actions();
        SweepResults r1 = Sweep.load(config).out(out).listener(first).run();
        assertEquals(List.of("1/3 softmax START", "2/3 normface START", "3/3 am:0.3 START"), first.seen);
        assertEquals(30, first.steps, "three runs of 10 steps, each with its live listener");
        assertEquals(3, r1.size());
        assertEquals(3, first.results.size());
        for (SweepRow row : r1.rows()) {
            assertEquals(10, row.steps());
            assertEquals(6, row.identities());
            assertTrue(row.accuracy() > 0 && row.accuracy() <= 1 && row.auc() > 0 && Double.isFinite(row.finalLoss()), row.toString());
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(row.hash()).resolve(Trainer.MODEL)));
        }
        assertEquals(1.0, r1.rows().get(0).s(), "softmax trains with s = 1");
        assertEquals(first.results.get(2).accuracyMean(), r1.verification(r1.rows().get(2).hash()).accuracyMean(), "recomputed from the saved distances");
        assertEquals(3, r1.verifications().size());
        for (String f : List.of(SweepResults.SUMMARY_CSV, SweepResults.SUMMARY_MD, SweepResults.CHART_PNG)) assertTrue(Files.isRegularFile(out.resolve(f)), f);

        String csv = Files.readString(out.resolve(SweepResults.FILE));
        Map<Path, Long> times = modificationTimes(out.resolve("runs"));
        Actions second = new Actions();
        SweepResults r2 = Sweep.load(config).out(out).listener(second).run();
        assertEquals(List.of("1/3 softmax SKIP", "2/3 normface SKIP", "3/3 am:0.3 SKIP"), second.seen);
        assertEquals(0, second.steps);
        assertEquals(csv, Files.readString(out.resolve(SweepResults.FILE)), "results.csv is untouched");
        assertEquals(times, modificationTimes(out.resolve("runs")), "no run file was rewritten");
        assertEquals(r1.rows(), r2.rows());

        // a kill between model.zip and the results row: the run is evaluated again, not trained
        SweepRow last = r1.rows().get(2);
        List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve(SweepResults.FILE)));
        lines.remove(3);
        Files.write(out.resolve(SweepResults.FILE), lines);
        Actions third = new Actions();
        SweepResults r3 = Sweep.load(config).out(out).listener(third).run();
        assertEquals(List.of("1/3 softmax SKIP", "2/3 normface SKIP", "3/3 am:0.3 EVALUATE"), third.seen);
        assertEquals(0, third.steps);
        SweepRow again = r3.get(last.hash());
        assertEquals(last.accuracy(), again.accuracy());
        assertEquals(last.auc(), again.auc());
        assertEquals(last.finalLoss(), again.finalLoss());
        assertArrayEquals(first.results.get(2).distances(), third.results.get(0).distances(), 0);
    }

    static Map<Path, Long> modificationTimes(Path dir) throws IOException {
        Map<Path, Long> out = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) out.put(p, Files.getLastModifiedTime(p).toMillis());
        }
        return out;
    }

    @Test
    void aSweepOwnsItsFolder(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("tiny.properties"), tinyConfig(10));
        Path out = dir.resolve("sweep");
        try (FolderLock other = FolderLock.acquire(out, "another sweep")) {
            TrainingException e = assertThrows(TrainingException.class, () -> Sweep.load(config).out(out).run());
            assertTrue(e.getMessage().contains("in use") && e.getMessage().contains("another sweep"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve("runs")), "nothing was started");
    }
}
