package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.nn.layers.Precision;
import amface.testing.TestPaths;
import amface.train.TrainConfig;

/**
 * The published sweeps' runs keep their identities: rebuilt from the published configs, every run hashes to the
 * hash in the published results ({@code docs/results/*.csv}), so a sweep started again recognises its finished
 * runs. A change to {@link TrainConfig}'s keys or values, to {@link SweepRun#definition} or to the sweep's cells
 * that moved a hash fails here.
 */
class PublishedSweepHashesTest {
    static Path root() {
        return TestPaths.projectRoot();
    }

    static Set<String> publishedHashes(String csv) throws IOException {
        List<String> lines = Files.readAllLines(root().resolve("docs/results").resolve(csv));
        Set<String> hashes = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) if (!line.isBlank()) hashes.add(line.substring(0, line.indexOf(',')));
        return hashes;
    }

    static Set<String> hashes(List<SweepRun> runs) {
        Set<String> out = new TreeSet<>();
        for (SweepRun r : runs) out.add(r.hash());
        return out;
    }

    /** docs/results/lfw-foldout-results.csv: 46de7e6ffce4,lfw-foldout,1,1,am:0.35,am,0.35,30.0,false,resface20,... rebuilt by hand, with {@code change}. */
    static SweepRun pinnedLfwFoldOutRun(java.util.function.Consumer<TrainConfig> change) {
        SweepConfig config = SweepConfig.load(root().resolve("configs/sweep-lfw-foldout.properties"));
        SweepModel model = config.models().get(0);
        SweepCell cell = SweepCell.parse("am:0.35");
        TrainConfig c = cell.applyTo(model.applyTo(config.base(), config.source()), 30);
        c.seed = 1;
        change.accept(c);
        return new SweepRun(cell, 30, model, 1, 1, "lfw-foldout", "lfw-foldout pairs=pairs.txt fold=1 minImages=4", config.flip(), c);
    }

    @Test
    void oneLfwFoldOutRunRebuiltByHandKeepsItsHash() {
        SweepRun run = pinnedLfwFoldOutRun(c -> { });
        assertEquals("46de7e6ffce4", run.hash(), run.definition());
        // the config says resface20, but the net is 16-64 channels, 0/1/1/0 units at 56x48: tables say so
        assertEquals("resface8-16c-56x48", run.modelName());
        assertEquals("am:0.35 s=30 resface8-16c-56x48 fold 1 seed 1", run.label());
    }

    @Test
    void publishedRowsNameTheirBackboneAsTheRunsDo(@TempDir Path out) throws IOException {
        Sweep sweep = Sweep.load(root().resolve("configs/sweep-synthetic.properties")).out(out);
        java.util.Map<String, String> names = new java.util.TreeMap<>();
        for (SweepRun r : sweep.runs()) names.put(r.hash(), r.modelName());
        for (String csv : List.of("synthetic-results.csv", "lfw-foldout-results.csv")) {
            List<String> lines = Files.readAllLines(root().resolve("docs/results").resolve(csv));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertEquals(names.getOrDefault(f[0], "resface8-16c-56x48"), f[SweepRow.COLUMNS.indexOf("model")], csv + ": " + line);
            }
        }
    }

    @Test
    void rowsOfAnOlderResultsFileAreRelabelledNotRerun(@TempDir Path out) throws IOException {
        SweepResults results = SweepResults.read(out);
        SweepRow old = new SweepRow("46de7e6ffce4", "lfw-foldout", 1, 1, "am:0.35", "am", 0.35, 30, false, "resface20", 547, 6064, 0.85,
            0.03, 0.93, 0.15, 0.5, 0.001, 9.0, Double.NaN, 600, 60, "2026-12-02T15:44:46Z");
        results.add(old);
        results.relabel(java.util.Map.of("46de7e6ffce4", "resface8-16c-56x48", "ffffffffffff", "other"));
        SweepResults again = SweepResults.read(out);
        assertEquals(1, again.size());
        assertEquals("resface8-16c-56x48", again.get("46de7e6ffce4").model());
        assertEquals(old.accuracy(), again.get("46de7e6ffce4").accuracy());
    }

    /** Settings added later ({@code @Setting(omittedAtDefault = true)}) leave the hash alone at their defaults only. */
    @Test
    void fineTuningSettingsAtTheirDefaultsKeepThePublishedHash() {
        SweepRun run = pinnedLfwFoldOutRun(c -> {
            c.backboneLrMultiplier = 1;
            c.freezeStages = 0;
            c.normalisation = "amface";
            c.init = null;
        });
        assertEquals("46de7e6ffce4", run.hash(), run.definition());
        SweepRun slower = pinnedLfwFoldOutRun(c -> c.backboneLrMultiplier = 0.1);
        org.junit.jupiter.api.Assertions.assertNotEquals("46de7e6ffce4", slower.hash(), slower.definition());
    }

    @Test
    void precisionIsHashedOnlyWhenItIsNotFp32() {
        assertEquals("46de7e6ffce4", pinnedLfwFoldOutRun(c -> c.precision = "fp32").hash(), "fp32, the default, is not hashed");
        String bf16 = pinnedLfwFoldOutRun(c -> c.precision = "bf16").hash();
        assertNotEquals("46de7e6ffce4", bf16, "bf16 is another run");
        assertTrue(pinnedLfwFoldOutRun(c -> c.precision = "bf16").definition().contains("precision=bf16\n"));
        // auto is hashed as what it resolves to here: bf16 where oneDNN has bf16 kernels, else the fp32 run
        String auto = pinnedLfwFoldOutRun(c -> c.precision = "auto").hash();
        assertEquals(Precision.AUTO.resolve() == Precision.BF16 ? bf16 : "46de7e6ffce4", auto);
        assertFalse(pinnedLfwFoldOutRun(c -> c.precision = "auto").definition().contains("auto"));
    }

    @Test
    void everySyntheticRunKeepsItsHash(@TempDir Path out) throws IOException {
        Sweep sweep = Sweep.load(root().resolve("configs/sweep-synthetic.properties")).out(out);
        assertEquals(publishedHashes("synthetic-results.csv"), hashes(sweep.runs()));
    }

    @Test
    void everyLfwFoldOutRunKeepsItsHash(@TempDir Path out) throws IOException {
        TestPaths.sharedData("lfw/pairs.txt"); // the fold count comes from LFW's pairs file
        Sweep sweep = Sweep.load(root().resolve("configs/sweep-lfw-foldout.properties")).out(out);
        Set<String> published = publishedHashes("lfw-foldout-results.csv");
        assertEquals(160, published.size());
        assertEquals(published, hashes(sweep.runs()));
    }
}
