package amface.sweep;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import amface.eval.FlipMode;
import amface.train.TrainConfig;

/**
 * A sweep: a grid of training runs (heads and margins x scales x backbones x seeds x folds) on one dataset
 * protocol. Read from one properties file: every plain {@link TrainConfig} key is the recipe shared by all runs;
 * {@code sweep.*} keys define the grid and the data.
 *
 * <pre>
 * sweep.protocol = lfw-foldout                # synthetic | lfw-foldout | pairs
 * sweep.cells = softmax, normface, am:0.2, am:0.35, arc:0.5, am:0.35:learned-s
 * sweep.s = 30                                # default: the recipe's s
 * sweep.models = resface20, narrow            # default: the recipe's model
 * sweep.model.narrow.channels = 16,32,48,64   # a named variant: TrainConfig keys
 * sweep.seeds = 1, 2                          # default: the recipe's seed
 * sweep.folds = 1, 2, 3                       # lfw-foldout only: 1-based LFW folds, or all (default)
 * sweep.data = lfw-aligned                    # training images ROOT/Name/*.jpg
 * sweep.pairs = lfw/pairs.txt                 # LFW-format pairs; images under sweep.pairsRoot (default: sweep.data)
 * sweep.minImages = 2                         # train only on identities with at least this many images
 * sweep.flip = mean                           # test-time flip: none, sum, mean, concat
 * </pre>
 * Relative paths resolve against the config file's folder. An unknown key is an error naming the file and the key; a
 * bad value names the key and the value.
 */
public final class SweepConfig {
    public static final String SYNTHETIC = "synthetic";
    public static final String LFW_FOLDOUT = "lfw-foldout";
    public static final String PAIRS = "pairs";
    public static final List<String> PROTOCOLS = List.of(SYNTHETIC, LFW_FOLDOUT, PAIRS);

    /** Recipe keys a sweep sets per run or takes from its sweep.* keys. */
    static final Map<String, String> SET_BY_SWEEP = Map.of(
        "head", "sweep.cells", "m", "sweep.cells", "learnScale", "sweep.cells (':learned-s')",
        "out", "--out", "data", "sweep.data", "pairs", "sweep.pairs", "pairsRoot", "sweep.pairsRoot", "pairsExtension", "sweep.pairsExtension");

    static final String MODEL_PREFIX = "sweep.model.";

    private final String source;
    private final TrainConfig base;
    private final String protocol;
    private final List<SweepCell> cells;
    private final List<Double> scales;
    private final List<SweepModel> models;
    private final List<Long> seeds;
    private final List<Integer> folds;
    private final Path data;
    private final Path pairs;
    private final Path pairsRoot;
    private final String pairsExtension;
    private final int minImages;
    private final SweepSynthetic synthetic;
    private final FlipMode flip;

    private SweepConfig(Builder b) {
        this.source = b.source;
        this.base = b.base.clone();
        this.protocol = b.protocol;
        this.cells = List.copyOf(b.cells);
        this.scales = b.scales.isEmpty() ? List.of(b.base.s) : List.copyOf(b.scales);
        this.models = b.models.isEmpty() ? List.of(SweepModel.named(b.base.model)) : List.copyOf(b.models);
        this.seeds = b.seeds.isEmpty() ? List.of(b.base.seed) : List.copyOf(b.seeds);
        this.folds = List.copyOf(b.folds);
        this.data = b.data;
        this.pairs = b.pairs;
        this.pairsRoot = b.pairsRoot != null ? b.pairsRoot : b.data;
        this.pairsExtension = b.pairsExtension;
        this.minImages = b.minImages;
        this.synthetic = b.synthetic;
        this.flip = b.flip;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads a sweep config file. */
    public static SweepConfig load(Path file) {
        return load(file, new Properties());
    }

    /** Reads a sweep config file with {@code overrides} (e.g. the command line's {@code sweep.seeds}) on top. */
    public static SweepConfig load(Path file, Properties overrides) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such sweep config file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the sweep config: " + e.getMessage(), e);
        }
        p.putAll(overrides);
        Path dir = file.toAbsolutePath().getParent();
        return fromProperties(p, file.toString(), dir);
    }

    /** Parses settings; relative paths resolve against {@code baseDir}; errors name {@code source}. */
    public static SweepConfig fromProperties(Properties p, String source, Path baseDir) {
        Properties recipe = new Properties(), sweep = new Properties();
        Map<String, Properties> variants = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).strip();
            if (key.startsWith(MODEL_PREFIX)) {
                String rest = key.substring(MODEL_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    throw new IllegalArgumentException(source + ": '" + key + "' should be sweep.model.NAME.KEY (a TrainConfig key of variant NAME)");
                }
                variants.computeIfAbsent(rest.substring(0, dot), k -> new Properties()).setProperty(rest.substring(dot + 1), value);
            } else if (key.startsWith("sweep.")) {
                sweep.setProperty(key, value);
            } else if (SET_BY_SWEEP.containsKey(key)) {
                throw new IllegalArgumentException(source + ": '" + key + "' is set per run by a sweep; use " + SET_BY_SWEEP.get(key));
            } else {
                recipe.setProperty(key, value);
            }
        }
        SweepSettings s = SweepSettings.read(sweep, source);
        TrainConfig base = TrainConfig.defaults().apply(recipe, source);
        if (base.schedule != null && baseDir != null) base.schedule = baseDir.resolve(base.schedule);
        Builder b = builder().source(source).base(base).protocol(s.protocol).scales(s.s).seeds(s.seeds).folds(s.folds)
            .data(resolve(baseDir, s.data)).pairs(resolve(baseDir, s.pairs)).pairsRoot(resolve(baseDir, s.pairsRoot))
            .pairsExtension(s.pairsExtension).minImages(s.minImages).flip(FlipMode.parse(s.flip));
        try {
            b.cells(list(s.cells).stream().map(SweepCell::parse).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": sweep.cells = '" + s.cells + "': " + e.getMessage(), e);
        }
        try {
            b.synthetic(s.synthetic.toRecord());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (!s.models.isBlank()) {
            List<SweepModel> models = new ArrayList<>();
            for (String name : list(s.models)) {
                Properties v = variants.remove(name);
                models.add(v == null ? SweepModel.named(name) : new SweepModel(name, v));
            }
            b.models(models);
        }
        if (!variants.isEmpty()) {
            throw new IllegalArgumentException(source + ": sweep.model." + variants.keySet().iterator().next() + ".* defines a variant that sweep.models does not list");
        }
        return b.build();
    }

    static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String part : csv.split(",")) if (!part.isBlank()) out.add(part.strip());
        return out;
    }

    private static Path resolve(Path baseDir, Path p) {
        return p == null || baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    /** Where the settings came from (a file name, or "(code)"). */
    public String source() { return source; }

    /** The recipe every run starts from (a copy). */
    public TrainConfig base() { return base.clone(); }

    public String protocol() { return protocol; }

    public List<SweepCell> cells() { return cells; }

    public List<Double> scales() { return scales; }

    public List<SweepModel> models() { return models; }

    public List<Long> seeds() { return seeds; }

    /** 1-based LFW folds to run (lfw-foldout); empty: every fold of the pairs file. */
    public List<Integer> folds() { return folds; }

    public Path data() { return data; }

    public Path pairs() { return pairs; }

    public Path pairsRoot() { return pairsRoot; }

    public String pairsExtension() { return pairsExtension; }

    public int minImages() { return minImages; }

    public SweepSynthetic synthetic() { return synthetic; }

    public FlipMode flip() { return flip; }

    /** The same sweep with other seeds (the command line's {@code --seeds}). */
    public SweepConfig withSeeds(List<Long> seeds) {
        return toBuilder().seeds(seeds).build();
    }

    public SweepConfig withFolds(List<Integer> folds) {
        return toBuilder().folds(folds).build();
    }

    public SweepConfig withMinImages(int minImages) {
        return toBuilder().minImages(minImages).build();
    }

    public Builder toBuilder() {
        return builder().source(source).base(base).protocol(protocol).cells(cells).scales(scales).models(models).seeds(seeds).folds(folds)
            .data(data).pairs(pairs).pairsRoot(pairsRoot).pairsExtension(pairsExtension).minImages(minImages).synthetic(synthetic).flip(flip);
    }

    /** Defines a sweep in code; {@link #build} checks it as a file would be checked. */
    public static final class Builder {
        private String source = "(code)";
        private TrainConfig base = TrainConfig.defaults();
        private String protocol = SYNTHETIC;
        private List<SweepCell> cells = List.of();
        private List<Double> scales = List.of();
        private List<SweepModel> models = List.of();
        private List<Long> seeds = List.of();
        private List<Integer> folds = List.of();
        private Path data;
        private Path pairs;
        private Path pairsRoot;
        private String pairsExtension = "jpg";
        private int minImages = 2;
        private SweepSynthetic synthetic = SweepSynthetic.defaults();
        private FlipMode flip = FlipMode.MEAN;

        public Builder source(String source) { this.source = source; return this; }

        /** The recipe of every run; its head, m, learnScale, data and out are set per run. */
        public Builder base(TrainConfig base) { this.base = base.clone(); return this; }

        public Builder protocol(String protocol) {
            String p = protocol.strip().toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(p)) throw new IllegalArgumentException("unknown protocol '" + protocol + "' (use " + String.join(", ", PROTOCOLS) + ")");
            this.protocol = p;
            return this;
        }

        public Builder cells(List<SweepCell> cells) { this.cells = List.copyOf(cells); return this; }

        /** Cells as written in a config file: {@code "softmax", "normface", "am:0.35", "arc:0.5:learned-s"}. */
        public Builder cells(String... cells) { return cells(Arrays.stream(cells).map(SweepCell::parse).toList()); }

        public Builder scales(List<Double> scales) { this.scales = List.copyOf(scales); return this; }

        public Builder scales(double... scales) { return scales(Arrays.stream(scales).boxed().toList()); }

        public Builder models(List<SweepModel> models) { this.models = List.copyOf(models); return this; }

        public Builder seeds(List<Long> seeds) { this.seeds = List.copyOf(seeds); return this; }

        public Builder seeds(long... seeds) { return seeds(Arrays.stream(seeds).boxed().toList()); }

        /** 1-based LFW folds; empty: all. */
        public Builder folds(List<Integer> folds) { this.folds = List.copyOf(folds); return this; }

        public Builder folds(int... folds) { return folds(Arrays.stream(folds).boxed().toList()); }

        public Builder data(Path data) { this.data = data; return this; }

        public Builder pairs(Path pairs) { this.pairs = pairs; return this; }

        public Builder pairsRoot(Path pairsRoot) { this.pairsRoot = pairsRoot; return this; }

        public Builder pairsExtension(String ext) {
            String e = ext.strip();
            this.pairsExtension = e.startsWith(".") ? e.substring(1) : e;
            return this;
        }

        public Builder minImages(int minImages) { this.minImages = minImages; return this; }

        public Builder synthetic(SweepSynthetic synthetic) { this.synthetic = synthetic; return this; }

        public Builder flip(FlipMode flip) { this.flip = flip; return this; }

        public SweepConfig build() {
            String where = source + ": ";
            if (cells.isEmpty()) throw new IllegalArgumentException(where + "sweep.cells: no heads to train (e.g. sweep.cells = softmax, normface, am:0.35)");
            if (minImages < 1) throw new IllegalArgumentException(where + "sweep.minImages must be >= 1, got " + minImages);
            for (double s : scales) if (!(s > 0)) throw new IllegalArgumentException(where + "sweep.s: scales must be > 0, got " + s);
            for (int f : folds) if (f < 1) throw new IllegalArgumentException(where + "sweep.folds: folds are numbered from 1, got " + f);
            if (!folds.isEmpty() && !protocol.equals(LFW_FOLDOUT)) throw new IllegalArgumentException(where + "sweep.folds applies to lfw-foldout only, the protocol is " + protocol);
            if (pairsExtension.isEmpty()) throw new IllegalArgumentException(where + "sweep.pairsExtension is empty");
            if (!protocol.equals(SYNTHETIC)) {
                if (data == null) throw new IllegalArgumentException(where + "sweep.data: protocol " + protocol + " needs the training images (ROOT/Name/*.jpg)");
                if (pairs == null) throw new IllegalArgumentException(where + "sweep.pairs: protocol " + protocol + " needs a pairs file (LFW pairs.txt format)");
            }
            TrainConfig check = base.clone();
            check.data = Path.of(".");
            check.out = Path.of(".");
            try {
                check.validate();
                for (SweepModel m : models) m.applyTo(check.clone(), source).validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            return new SweepConfig(this);
        }
    }
}
