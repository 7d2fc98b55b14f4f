package amface.sweep;

import java.nio.file.Path;
import java.util.Properties;

import amface.config.ConfigKey;
import amface.config.ConfigKeys;
import amface.config.Setting;
import amface.eval.FlipMode;

/**
 * A sweep config's {@code sweep.*} keys, read by the same parser as the recipe's ({@link ConfigKeys}); lists stay
 * lists of numbers or names, and {@link SweepConfig} turns them into the grid.
 */
final class SweepSettings {
    @Setting(help = "where training and test data come from", choices = {SweepConfig.SYNTHETIC, SweepConfig.LFW_FOLDOUT, SweepConfig.PAIRS})
    public String protocol = SweepConfig.SYNTHETIC;
    @Setting(help = "heads and margins of the grid, e.g. softmax, normface, am:0.35, arc:0.5, am:0.35:learned-s", label = "CELL,...")
    public String cells = "";
    @Setting(help = "scales of the grid; none: the recipe's s", range = "(0, inf)")
    public double[] s = {};
    @Setting(help = "backbones of the grid: presets or variants (sweep.model.NAME.KEY); none: the recipe's model", label = "NAME,...")
    public String models = "";
    @Setting(help = "seeds of the grid; none: the recipe's seed")
    public long[] seeds = {};
    @Setting(help = "lfw-foldout: 1-based LFW folds; all (or none): every fold", range = "[1, inf)")
    public int[] folds = {};
    @Setting(help = "training images ROOT/Name/*.jpg (relative to the config file)", label = "DIR")
    public Path data;
    @Setting(help = "LFW-format pairs file (relative to the config file)", label = "FILE")
    public Path pairs;
    @Setting(help = "folder of the pairs' images; none: sweep.data", label = "DIR")
    public Path pairsRoot;
    @Setting(help = "extension of the pairs' images", label = "EXT")
    public String pairsExtension = "jpg";
    @Setting(help = "train only on identities with at least this many images", range = "[1, inf)")
    public int minImages = 2;
    @Setting(help = "test-time flip", choices = {"none", "sum", "mean", "concat"})
    public String flip = FlipMode.MEAN.cliName();

    /** {@code sweep.synthetic.*}: the built-in synthetic faces, checked by {@link SweepSynthetic} itself. */
    static final class Synthetic {
        private static final SweepSynthetic DEFAULTS = SweepSynthetic.defaults();
        @Setting(help = "training identities")
        public int people = DEFAULTS.people();
        @Setting(help = "photos per training identity")
        public int imagesPerPerson = DEFAULTS.imagesPerPerson();
        @Setting(help = "test identities")
        public int heldOutPeople = DEFAULTS.heldOutPeople();
        @Setting(help = "verification pairs among the test identities")
        public int pairs = DEFAULTS.pairs();
        @Setting(help = "how alike faces are, 0 to 1")
        public double difficulty = DEFAULTS.difficulty();
        @Setting(help = "image size", label = "HxW")
        public String size = DEFAULTS.height() + "x" + DEFAULTS.width();
        @Setting(help = "seed of the images")
        public long seed = DEFAULTS.seed();

        SweepSynthetic toRecord() {
            int[] hw = ConfigKey.heightWidth(size, "sweep.synthetic.size");
            return new SweepSynthetic(people, imagesPerPerson, heldOutPeople, pairs, difficulty, hw[0], hw[1], seed);
        }
    }

    static final String SYNTHETIC_PREFIX = "sweep.synthetic.";
    static final ConfigKeys<SweepSettings> KEYS = new ConfigKeys<>(SweepSettings.class, SweepSettings::new, "sweep.");
    static final ConfigKeys<Synthetic> SYNTHETIC_KEYS = new ConfigKeys<>(Synthetic.class, Synthetic::new, SYNTHETIC_PREFIX);

    final Synthetic synthetic = new Synthetic();

    /** Reads {@code sweep.*} and {@code sweep.synthetic.*} keys; an unknown one names {@code source} and lists the known. */
    static SweepSettings read(Properties sweepKeys, String source) {
        Properties own = new Properties(), synthetic = new Properties();
        for (String key : sweepKeys.stringPropertyNames()) {
            String value = sweepKeys.getProperty(key);
            if (key.startsWith(SYNTHETIC_PREFIX)) synthetic.setProperty(key, value);
            else if (key.equals("sweep.folds") && value.strip().equalsIgnoreCase("all")) continue; // all = none listed
            else if (KEYS.get(key) != null) own.setProperty(key, value);
            else throw new IllegalArgumentException(source + ": unknown sweep setting '" + key + "' (known: " + known() + ")");
        }
        SweepSettings s = KEYS.apply(new SweepSettings(), own, source);
        SYNTHETIC_KEYS.apply(s.synthetic, synthetic, source);
        return s;
    }

    private static String known() {
        java.util.List<String> names = new java.util.ArrayList<>();
        KEYS.all().forEach(k -> names.add(k.name()));
        SYNTHETIC_KEYS.all().forEach(k -> names.add(k.name()));
        names.add(SweepConfig.MODEL_PREFIX + "NAME.KEY");
        return String.join(", ", names);
    }
}
