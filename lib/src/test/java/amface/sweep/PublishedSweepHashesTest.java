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

    @Test
    void oneLfwFoldOutRunRebuiltByHandKeepsItsHash() {
        // docs/results/lfw-foldout-results.csv: 46de7e6ffce4,lfw-foldout,1,1,am:0.35,am,0.35,30.0,false,resface20,...
        SweepRun run = foldOutRun(null); // the config as published: no precision key given
        assertEquals("46de7e6ffce4", run.hash(), run.definition());
    }

    /** The published run 46de7e6ffce4 rebuilt by hand, with {@code precision} set unless null. */
    private static SweepRun foldOutRun(String precision) {
        SweepConfig config = SweepConfig.load(root().resolve("configs/sweep-lfw-foldout.properties"));
        SweepModel model = config.models().get(0);
        SweepCell cell = SweepCell.parse("am:0.35");
        TrainConfig c = cell.applyTo(model.applyTo(config.base(), config.source()), 30);
        c.seed = 1;
        if (precision != null) c.precision = precision;
        return new SweepRun(cell, 30, model, 1, 1, "lfw-foldout", "lfw-foldout pairs=pairs.txt fold=1 minImages=4", config.flip(), c);
    }

    @Test
    void precisionIsHashedOnlyWhenItIsNotFp32() {
        assertEquals("46de7e6ffce4", foldOutRun("fp32").hash(), "fp32, the default, is not hashed");
        String bf16 = foldOutRun("bf16").hash();
        assertNotEquals("46de7e6ffce4", bf16, "bf16 is another run");
        assertTrue(foldOutRun("bf16").definition().contains("precision=bf16\n"));
        // auto is hashed as what it resolves to here: bf16 where oneDNN has bf16 kernels, else the fp32 run
        String auto = foldOutRun("auto").hash();
        assertEquals(Precision.AUTO.resolve() == Precision.BF16 ? bf16 : "46de7e6ffce4", auto);
        assertFalse(foldOutRun("auto").definition().contains("auto"));
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
