package amface.train;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

import amface.head.HeadSpec;
import amface.nn.BackboneSpec;

/**
 * Everything one training run needs, with the reference recipe as defaults (ResFace20, AM-softmax s=30 m=0.35,
 * SGD momentum 0.9, weight decay 5e-4, lr 0.1 dropping x0.1 at epochs 16, 24, 28 of 1000 batches, 30k steps,
 * batch 256, random crop and mirror). Stored with every checkpoint; an experiment config file uses the same
 * {@code key = value} lines (a Java properties file, keys as the field names) and the CLI overrides it.
 */
public final class TrainConfig implements Cloneable {
    // data
    /** Training images, {@code ROOT/identity/*.jpg}. */
    public Path data;
    /** Optional verification pairs (LFW pairs.txt format) and the folder of their images. */
    public Path pairs;
    public Path pairsRoot;
    public String pairsExtension = "jpg";
    /** The run folder: checkpoint, metrics, config, final model. */
    public Path out;
    /** Keep decoded training images in memory: auto (when they fit in a quarter of the heap), true, false. */
    public String cacheImages = "auto";

    // model
    /** A backbone preset's name, one of {@link amface.nn.Backbone#names()}. */
    public String model = "resface20";
    /** Overrides of the backbone: stage widths "16,32,64,128", units per stage "1,2,4,1", input "112x96". */
    public String channels = "";
    public String units = "";
    public String input = "";
    /** 0: the backbone's (512). */
    public int embeddingSize;
    /** Dropout keep probability before the FC; negative: the backbone's. */
    public double dropoutKeep = -1;

    // head
    public String head = "am";
    public double s = 30;
    public double m = 0.35;
    public double m1 = 1;
    public double m2;
    public double m3;
    public boolean learnScale;
    public boolean easyMargin;
    public long marginWarmup;
    public double headLrMultiplier = 1;

    // optimisation
    /** sgd (classical momentum), nesterov, adam. */
    public String optimizer = "sgd";
    public double lr = 0.1;
    public double momentum = 0.9;
    public double weightDecay = 5e-4;
    /** A schedule file ({@code epoch: lr} lines); when set it replaces lr/lrPolicy. */
    public Path schedule;
    /** steps (lr times lrFactor at each of lrSteps epochs), cosine (to lrFinal over all steps), constant. */
    public String lrPolicy = "steps";
    public String lrSteps = "16,24,28";
    public double lrFactor = 0.1;
    public double lrFinal;
    /** Linear learning-rate warm-up over this many steps. */
    public long lrWarmup;
    /** Batches per schedule epoch (1000 in the reference). */
    public int stepsPerEpoch = 1000;
    public long steps = 30000;
    public int batch = 256;

    // augmentation
    /** Random crop: pad by this many pixels and cut a window of the input size (0: no crop). */
    public int cropPadding = 4;
    public boolean mirror = true;

    // run
    public long seed = 42;
    public long checkpointEvery = 1000;
    /** Verification accuracy on the pairs every this many steps (0: only at the end). */
    public long verifyEvery;
    public int loaderThreads = 2;
    public int prefetch = 4;
    /** Data-parallel workers (ParallelWrapper) when > 1. */
    public int workers = 1;

    public static TrainConfig defaults() {
        return new TrainConfig();
    }

    @Override
    public TrainConfig clone() {
        try {
            return (TrainConfig) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The backbone with this config's overrides. */
    public BackboneSpec backbone() {
        BackboneSpec spec = BackboneSpec.named(model);
        if (!channels.isBlank()) spec = spec.channels(ints("channels", channels));
        if (!units.isBlank()) spec = spec.units(ints("units", units));
        if (!input.isBlank()) {
            String[] hw = input.toLowerCase(Locale.ROOT).split("x");
            if (hw.length != 2) throw new IllegalArgumentException("input must be HEIGHTxWIDTH such as 112x96, got '" + input + "'");
            spec = spec.input(parseInt("input", hw[0]), parseInt("input", hw[1]));
        }
        if (embeddingSize > 0) spec = spec.embeddingSize(embeddingSize);
        if (dropoutKeep >= 0) spec = spec.dropoutKeep(dropoutKeep);
        return spec;
    }

    public HeadSpec headSpec() {
        return new HeadSpec(head, s, m, m1, m2, m3, learnScale, easyMargin, marginWarmup, headLrMultiplier);
    }

    /** The learning-rate schedule: the schedule file if set, else lrPolicy; with the warm-up. */
    public LearningRateSchedule learningRateSchedule() {
        LearningRateSchedule base;
        if (schedule != null) {
            try {
                base = LearningRateSchedule.read(schedule, stepsPerEpoch);
            } catch (IOException e) {
                throw new UncheckedIOException(schedule + ": cannot read the schedule file: " + e.getMessage(), e);
            }
        } else {
            base = switch (lrPolicy.toLowerCase(Locale.ROOT)) {
                case "constant" -> LearningRateSchedule.constant(lr);
                case "steps", "step" -> LearningRateSchedule.stepDecay(lr, lrFactor, lrSteps.isBlank() ? new int[0] : ints("lrSteps", lrSteps), stepsPerEpoch);
                case "cosine" -> LearningRateSchedule.cosine(lr, lrFinal, steps);
                default -> throw new IllegalArgumentException("lrPolicy must be constant, steps or cosine, got '" + lrPolicy + "'");
            };
        }
        return lrWarmup > 0 ? base.withWarmup(lrWarmup) : base;
    }

    /** Checks every value that can be checked without reading data; the message names the key. */
    public TrainConfig validate() {
        if (data == null) throw new IllegalArgumentException("data: no training data folder given");
        if (out == null) throw new IllegalArgumentException("out: no run folder given");
        if ((pairs == null) != (pairsRoot == null)) throw new IllegalArgumentException("pairs and pairsRoot go together: give both or neither");
        positive("batch", batch);
        positive("steps", steps);
        positive("stepsPerEpoch", stepsPerEpoch);
        positive("checkpointEvery", checkpointEvery);
        positive("loaderThreads", loaderThreads);
        positive("prefetch", prefetch);
        positive("workers", workers);
        if (cropPadding < 0) throw new IllegalArgumentException("cropPadding must be >= 0, got " + cropPadding);
        if (verifyEvery < 0) throw new IllegalArgumentException("verifyEvery must be >= 0, got " + verifyEvery);
        if (!(lr >= 0) || !(weightDecay >= 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("need lr >= 0, weightDecay >= 0, 0 <= momentum < 1; got lr " + lr + ", weightDecay " + weightDecay + ", momentum " + momentum);
        }
        if (!java.util.Set.of("sgd", "nesterov", "adam").contains(optimizer.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("optimizer must be sgd, nesterov or adam, got '" + optimizer + "'");
        }
        if (!java.util.Set.of("auto", "true", "false").contains(cacheImages)) {
            throw new IllegalArgumentException("cacheImages must be auto, true or false, got '" + cacheImages + "'");
        }
        backbone();
        headSpec();
        learningRateSchedule();
        return this;
    }

    private static void positive(String key, long v) {
        if (v < 1) throw new IllegalArgumentException(key + " must be >= 1, got " + v);
    }

    static int[] ints(String key, String csv) {
        String[] parts = csv.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = parseInt(key, parts[i]);
        return out;
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v.strip() + "' is not an integer");
        }
    }

    /** Every setting as {@code key = value} (unset paths are left out). */
    public Properties toProperties() {
        Properties p = new Properties();
        for (Field f : fields()) {
            try {
                Object v = f.get(this);
                if (v != null) p.setProperty(f.getName(), v.toString());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return p;
    }

    public String toPropertiesText() {
        StringWriter w = new StringWriter();
        try {
            toProperties().store(w, "amface training config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Applies {@code key = value} settings onto this config; an unknown key or a bad value names {@code source} and the key. */
    public TrainConfig apply(Properties p, String source) {
        TreeSet<String> known = new TreeSet<>();
        for (Field f : fields()) known.add(f.getName());
        for (String key : p.stringPropertyNames()) {
            if (!known.contains(key)) throw new IllegalArgumentException(source + ": unknown setting '" + key + "' (known: " + String.join(", ", known) + ")");
            String value = p.getProperty(key).strip();
            try {
                Field f = TrainConfig.class.getField(key);
                Class<?> t = f.getType();
                if (t == String.class) f.set(this, value);
                else if (t == Path.class) f.set(this, value.isEmpty() ? null : Path.of(value));
                else if (t == int.class) f.setInt(this, Integer.parseInt(value));
                else if (t == long.class) f.setLong(this, Long.parseLong(value));
                else if (t == double.class) f.setDouble(this, Double.parseDouble(value));
                else if (t == boolean.class) {
                    if (!value.equals("true") && !value.equals("false")) throw new NumberFormatException();
                    f.setBoolean(this, Boolean.parseBoolean(value));
                } else throw new AssertionError("unhandled config type " + t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": " + key + " = '" + value + "' is not a valid " + typeName(key));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return this;
    }

    private static String typeName(String key) {
        try {
            Class<?> t = TrainConfig.class.getField(key).getType();
            return t == boolean.class ? "boolean (true/false)" : t == int.class || t == long.class ? "integer" : "number";
        } catch (NoSuchFieldException e) {
            return "value";
        }
    }

    /** Reads an experiment config file onto the defaults. */
    public static TrainConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the config: " + e.getMessage(), e);
        }
        return defaults().apply(p, file.toString());
    }

    public static TrainConfig fromProperties(Properties p, String source) {
        return defaults().apply(p, source);
    }

    private static java.util.List<Field> fields() {
        java.util.List<Field> out = new java.util.ArrayList<>();
        for (Field f : TrainConfig.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && !Modifier.isStatic(mod)) out.add(f);
        }
        return out;
    }

    @Override
    public String toString() {
        return toProperties().toString();
    }
}
