package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.eval.FlipMode;

/** Sweep config files: errors that name the file, key and value; the grid; run hashes that change only with what is trained. */
class SweepConfigTest {

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static final String SYNTHETIC = String.join("\n",
        "channels = 4,8,8,8", "units = 0,0,1,0", "input = 24x20", "embeddingSize = 16", "s = 20", "steps = 10", "batch = 8",
        "sweep.protocol = synthetic",
        "sweep.cells = softmax, normface, am:0.1, am:0.35, arc:0.5, am:0.35:learned-s",
        "sweep.s = 16, 30",
        "sweep.seeds = 1, 2",
        "sweep.synthetic.size = 24x20", "");

    @Test
    void publishedSweepConfigsLoad() throws IOException {
        try (var files = Files.list(amface.testing.TestPaths.projectRoot().resolve("configs"))) {
            List<Path> sweeps = files.filter(p -> p.getFileName().toString().startsWith("sweep-")).toList();
            assertTrue(sweeps.size() >= 3, "sweep configs: " + sweeps);
            for (Path f : sweeps) SweepConfig.load(f); // the recipe plus sweep.* keys, checked as a whole
        }
    }

    @Test
    void parsesTheGridAndExpandsIt() throws IOException {
        SweepConfig c = SweepConfig.load(write("grid.properties", SYNTHETIC));
        assertEquals(6, c.cells().size());
        assertEquals(new SweepCell("am", 0.35, true), c.cells().get(5));
        assertEquals(new SweepCell("arcface", 0.5, false), c.cells().get(4));
        assertEquals(List.of(16.0, 30.0), c.scales());
        assertEquals(List.of(1L, 2L), c.seeds());
        assertEquals(24, c.synthetic().height());
        assertEquals(20, c.synthetic().width());
        assertEquals(FlipMode.MEAN, c.flip());
        List<SweepRun> runs = Sweep.of(c).out(tmp.resolve("out")).runs();
        // per seed: softmax once (it ignores s) + 5 normalised cells x 2 scales
        assertEquals(2 * (1 + 5 * 2), runs.size());
        assertEquals(runs.size(), runs.stream().map(SweepRun::hash).collect(Collectors.toSet()).size(), "hashes are distinct");
        SweepRun softmax = runs.get(0);
        assertEquals("softmax", softmax.config().head);
        assertEquals(1.0, softmax.config().s);
        SweepRun learned = runs.stream().filter(r -> r.cell().learnedScale()).findFirst().orElseThrow();
        assertTrue(learned.config().learnScale);
        assertEquals(0.35, learned.config().m);
    }

    @Test
    void lfwFoldsAndCommandLineOverrides() throws IOException {
        Path cfg = write("lfw.properties", "sweep.protocol = lfw-foldout\nsweep.cells = am:0.35\nsweep.data = aligned\nsweep.pairs = pairs.txt\nsweep.folds = 2, 3\n");
        SweepConfig c = SweepConfig.load(cfg);
        assertEquals(List.of(2, 3), c.folds());
        assertEquals(tmp.resolve("aligned"), c.data(), "relative paths resolve against the file's folder");
        assertEquals(tmp.resolve("aligned"), c.pairsRoot(), "the pairs' images default to the training images");
        assertEquals(2, c.minImages());
        Properties cli = new Properties();
        cli.setProperty("sweep.folds", "all");
        cli.setProperty("sweep.minImages", "5");
        cli.setProperty("sweep.seeds", "7,8,9");
        SweepConfig o = SweepConfig.load(cfg, cli);
        assertEquals(List.of(), o.folds());
        assertEquals(5, o.minImages());
        assertEquals(List.of(7L, 8L, 9L), o.seeds());
    }

    @Test
    void errorsNameTheFileTheKeyAndTheValue() throws IOException {
        Path unknown = write("unknown.properties", "sweep.cells = am:0.35\nsweep.seed = 3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(unknown));
        assertTrue(e.getMessage().contains(unknown.toString()) && e.getMessage().contains("'sweep.seed'"), e.getMessage());

        Path recipe = write("recipe.properties", "sweep.cells = am:0.35\nbatchSize = 3\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(recipe));
        assertTrue(e.getMessage().contains(recipe.toString()) && e.getMessage().contains("'batchSize'"), e.getMessage());

        Path seeds = write("seeds.properties", "sweep.cells = am:0.35\nsweep.seeds = 1, two\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(seeds));
        assertTrue(e.getMessage().contains(seeds.toString()) && e.getMessage().contains("sweep.seeds") && e.getMessage().contains("'two'"), e.getMessage());

        Path cell = write("cell.properties", "sweep.cells = am:0.35, cos:0.2\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(cell));
        assertTrue(e.getMessage().contains("sweep.cells") && e.getMessage().contains("'cos'"), e.getMessage());

        Path margin = write("margin.properties", "sweep.cells = am\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(margin));
        assertTrue(e.getMessage().contains("needs one margin"), e.getMessage());

        Path head = write("head.properties", "sweep.cells = am:0.35\nm = 0.2\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(head));
        assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("sweep.cells"), e.getMessage());

        Path value = write("value.properties", "sweep.cells = am:0.35\nbatch = many\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(value));
        assertTrue(e.getMessage().contains(value.toString()) && e.getMessage().contains("batch") && e.getMessage().contains("'many'"), e.getMessage());

        Path protocol = write("protocol.properties", "sweep.cells = am:0.35\nsweep.protocol = lfw\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(protocol));
        assertTrue(e.getMessage().contains("sweep.protocol") && e.getMessage().contains("'lfw'"), e.getMessage());

        Path noPairs = write("nopairs.properties", "sweep.cells = am:0.35\nsweep.protocol = lfw-foldout\nsweep.data = x\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(noPairs));
        assertTrue(e.getMessage().contains("sweep.pairs"), e.getMessage());

        Path variant = write("variant.properties", "sweep.cells = am:0.35\nsweep.models = a\nsweep.model.b.channels = 4,8,8,8\n");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(variant));
        assertTrue(e.getMessage().contains("sweep.model.b"), e.getMessage());

        // the same parser as the recipe's: ranges and sizes named with key and value
        for (String[] c : new String[][] {{"sweep.minImages = 0", "sweep.minImages = 0 is out of range"}, {"sweep.s = 30, -1", "sweep.s = -1.0 is out of range"},
            {"sweep.folds = 0", "sweep.folds = 0 is out of range"}, {"sweep.synthetic.size = 56", "sweep.synthetic.size must be HEIGHTxWIDTH"},
            {"sweep.synthetic.people = 1", "sweep.synthetic.people must be >= 2"}, {"sweep.flip = twice", "sweep.flip = 'twice' is not one of"},
            {"dropoutKeep = 2", "dropoutKeep = 2.0 is out of range"}}) {
            Path f = write("range.properties", "sweep.cells = am:0.35\n" + c[0] + "\n");
            e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(f));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c[1]) && !e.getMessage().contains("\n"), e.getMessage());
        }

        Path none = tmp.resolve("missing.properties");
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }

    @Test
    void modelVariantsApplyTheirSettings() throws IOException {
        SweepConfig c = SweepConfig.load(write("models.properties", "sweep.cells = am:0.35\nsweep.models = resface36, narrow\n"
            + "sweep.model.narrow.channels = 4,8,8,8\nsweep.model.narrow.units = 0,0,1,0\n"));
        List<SweepRun> runs = Sweep.of(c).out(tmp.resolve("out")).runs();
        assertEquals(2, runs.size());
        assertEquals("resface36", runs.get(0).config().model);
        assertEquals("narrow", runs.get(1).model().name());
        assertEquals("4,8,8,8", runs.get(1).config().channels);
        assertEquals("resface20", runs.get(1).config().model, "a variant keeps the recipe's backbone");
    }

    private static SweepRun run(SweepConfig c, Path out) {
        return Sweep.of(c).out(out).runs().get(0);
    }

    @Test
    void hashIgnoresWhereAndHowFastButNotWhatIsTrained() throws IOException {
        String base = "sweep.cells = am:0.35\nsweep.seeds = 1\nsteps = 10\n";
        SweepRun a = run(SweepConfig.load(write("a.properties", base)), tmp.resolve("out1"));
        SweepRun moved = run(SweepConfig.load(write("b.properties", base + "loaderThreads = 1\nprefetch = 9\ncheckpointEvery = 3\nverifyEvery = 5\ncacheImages = false\n")),
            tmp.resolve("elsewhere"));
        assertEquals(a.hash(), moved.hash(), "output folder, loader threads, checkpoints and verification do not change a run");
        assertEquals(12, a.hash().length());
        assertTrue(a.hash().matches("[0-9a-f]{12}"), a.hash());
        assertEquals(a.hash(), run(SweepConfig.load(write("c.properties", base)), tmp.resolve("out1")).hash(), "stable");

        Set<String> others = Set.of(
            run(SweepConfig.load(write("m.properties", "sweep.cells = am:0.3\nsweep.seeds = 1\nsteps = 10\n")), tmp).hash(),
            run(SweepConfig.load(write("seed.properties", "sweep.cells = am:0.35\nsweep.seeds = 2\nsteps = 10\n")), tmp).hash(),
            run(SweepConfig.load(write("steps.properties", "sweep.cells = am:0.35\nsweep.seeds = 1\nsteps = 11\n")), tmp).hash(),
            run(SweepConfig.load(write("learned.properties", "sweep.cells = am:0.35:learned-s\nsweep.seeds = 1\nsteps = 10\n")), tmp).hash(),
            run(SweepConfig.load(write("flip.properties", base + "sweep.flip = none\n")), tmp).hash(),
            run(SweepConfig.load(write("synth.properties", base + "sweep.synthetic.people = 41\n")), tmp).hash());
        assertEquals(6, others.size());
        assertFalse(others.contains(a.hash()));
    }

    @Test
    void hashOfAnLfwRunDependsOnItsFoldAndMinImagesNotOnPaths() throws IOException {
        // a real pairs file: the protocol reads the fold count from it
        Path pairs = SweepLfwFoldOutTest.fakeLfw(tmp.resolve("lfw")).resolve("pairs.txt");
        String text = "sweep.protocol = lfw-foldout\nsweep.cells = am:0.35\nsweep.data = lfw\nsweep.pairs = lfw/pairs.txt\n";
        List<SweepRun> runs = Sweep.of(SweepConfig.load(write("f.properties", text))).out(tmp.resolve("o")).runs();
        assertEquals(2, runs.size(), "one run per fold of the pairs file");
        assertNotEquals(runs.get(0).hash(), runs.get(1).hash());
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        Files.copy(pairs, copy.resolve("pairs.txt"));
        List<SweepRun> moved = Sweep.of(SweepConfig.load(write("g.properties", text.replace("lfw/pairs.txt", "copy/pairs.txt")))).out(tmp.resolve("p")).runs();
        assertEquals(runs.get(0).hash(), moved.get(0).hash(), "the same pairs file in another folder");
        List<SweepRun> min3 = Sweep.of(SweepConfig.load(write("h.properties", text + "sweep.minImages = 3\n"))).out(tmp.resolve("o")).runs();
        assertNotEquals(runs.get(0).hash(), min3.get(0).hash());
    }
}
