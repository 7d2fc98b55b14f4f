package amface.train;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import amface.config.ConfigKey;
import amface.config.ConfigKeys;
import amface.config.Setting;
import amface.head.HeadKind;
import amface.head.HeadSpec;
import amface.image.PixelNormalisation;
import amface.nn.Backbone;
import amface.nn.BackboneSpec;
import amface.nn.layers.Precision;

/**
 * Everything one training run needs, with the reference recipe as defaults (ResFace20, AM-softmax s=30 m=0.35,
 * SGD momentum 0.9, weight decay 5e-4, lr 0.1 dropping x0.1 at epochs 16, 24, 28 of 1000 batches, 30k steps,
 * batch 256, random crop and mirror). Stored with every checkpoint; an experiment config file uses the same
 * {@code key = value} lines (a Java properties file, keys as the field names) and the CLI overrides it.
 *
 * <p>The fields are the single source of the settings: each one's {@link Setting} gives its help, valid range or
 * choices and CLI aliases, and its initial value the default. {@link #keys()} parses and checks them for config
 * files, the sweep and {@code amface train}, whose options are generated from them.
 */
public final class TrainConfig implements Cloneable {
    // data
    @Setting(help = "training images, DIR/identity/image.jpg", label = "DIR")
    public Path data;
    @Setting(help = "verification pairs (LFW pairs.txt format); with pairsRoot", label = "FILE")
    public Path pairs;
    @Setting(help = "folder of the pairs' images", label = "DIR")
    public Path pairsRoot;
    @Setting(help = "extension of the pairs' images", aliases = "--pairs-ext", label = "EXT")
    public String pairsExtension = "jpg";
    @Setting(help = "the run folder: checkpoint, metrics, config, final model", label = "DIR")
    public Path out;
    @Setting(help = "keep decoded training images in memory (auto: when they fit in a quarter of the heap)",
        choices = {"auto", "true", "false"})
    public String cacheImages = "auto";

    // model
    @Setting(help = "backbone", choicesOf = Backbone.Names.class)
    public String model = "resface20";
    @Setting(help = "stage widths overriding the backbone's, such as 16,32,64,128", label = "C1,C2,...")
    public String channels = "";
    @Setting(help = "residual units per stage overriding the backbone's, such as 1,2,4,1", label = "U1,U2,...")
    public String units = "";
    @Setting(help = "input size overriding the backbone's (112x96); other images are resized", label = "HxW")
    public String input = "";
    @Setting(help = "embedding length; 0: the backbone's (512)", range = "[1, 65536]", unset = "0")
    public int embeddingSize;
    @Setting(help = "dropout keep probability before the FC; -1: the backbone's", aliases = "--keep-prob",
        range = "(0, 1]", unset = "-1")
    public double dropoutKeep = -1;
    @Setting(help = "start the backbone from this model file (amface import or any amface model; weights and batch-norm "
        + "statistics); the head is new, for this data's identities", label = "MODEL.zip", omittedAtDefault = true)
    public Path init;
    @Setting(help = "pixel normalisation of the inputs: amface (x - 127.5) / 128 or insightface (x - 127.5) / 127.5, RGB; "
        + "with init: the init model's", choices = {"amface", "insightface"}, omittedAtDefault = true)
    public String normalisation = "amface";
    @Setting(help = "keep the stem and the first N stages of the backbone fixed (weights and batch-norm statistics)",
        range = "[0, inf)", label = "N", omittedAtDefault = true)
    public int freezeStages;

    // head
    @Setting(help = "margin head", choicesOf = HeadKind.Names.class)
    public String head = "am";
    @Setting(help = "scale s of the cosine logits", range = "(0, inf)")
    public double s = 30;
    @Setting(help = "margin: additive cosine (am), additive angle (arcface), integer multiplier (sphereface)",
        range = "[0, inf)")
    public double m = 0.35;
    @Setting(help = "combined margin: angle multiplier", range = "[0, inf)")
    public double m1 = 1;
    @Setting(help = "combined margin: additive angle")
    public double m2;
    @Setting(help = "combined margin: additive cosine")
    public double m3;
    @Setting(help = "learn the scale s", aliases = "--learn-s")
    public boolean learnScale;
    @Setting(help = "ArcFace: margin only where cos > 0")
    public boolean easyMargin;
    @Setting(help = "ramp the margin from 0 over this many steps", range = "[0, inf)", label = "STEPS")
    public long marginWarmup;
    @Setting(help = "learning-rate multiplier of the head", aliases = "--head-lr-mult", range = "[0, inf)")
    public double headLrMultiplier = 1;
    @Setting(help = "learning-rate multiplier of the backbone (fine-tuning: below 1)", aliases = "--backbone-lr-mult",
        range = "[0, inf)", omittedAtDefault = true)
    public double backboneLrMultiplier = 1;

    // optimisation
    @Setting(help = "sgd (classical momentum), nesterov or adam", choices = {"sgd", "nesterov", "adam"})
    public String optimizer = "sgd";
    @Setting(help = "base learning rate", range = "[0, inf)")
    public double lr = 0.1;
    @Setting(help = "momentum", range = "[0, 1)")
    public double momentum = 0.9;
    @Setting(help = "weight decay", range = "[0, inf)")
    public double weightDecay = 5e-4;
    @Setting(help = "learning-rate schedule file: 'epoch: lr' lines, # comments (replaces lr and lrPolicy)", label = "FILE")
    public Path schedule;
    @Setting(help = "steps (lr times lrFactor at each of lrSteps epochs), cosine (to lrFinal over all steps), constant",
        choices = {"steps", "step", "cosine", "constant"})
    public String lrPolicy = "steps";
    @Setting(help = "epochs at which the steps policy multiplies lr by lrFactor", label = "E1,E2,...")
    public String lrSteps = "16,24,28";
    @Setting(help = "the steps policy's factor", range = "(0, inf)")
    public double lrFactor = 0.1;
    @Setting(help = "cosine: the final learning rate", range = "[0, inf)")
    public double lrFinal;
    @Setting(help = "linear learning-rate warm-up over this many steps", range = "[0, inf)", label = "STEPS")
    public long lrWarmup;
    @Setting(help = "batches per schedule epoch (1000 in the reference)", aliases = "--epoch-size", range = "[1, inf)",
        label = "BATCHES")
    public int stepsPerEpoch = 1000;
    @Setting(help = "total training steps", range = "[1, inf)")
    public long steps = 30000;
    @Setting(help = "batch size", range = "[1, inf)")
    public int batch = 256;

    // augmentation
    @Setting(help = "random crop: pad by this many pixels and cut a window of the input size (0: no crop)",
        range = "[0, inf)", label = "PIXELS")
    public int cropPadding = 4;
    @Setting(help = "random horizontal mirror")
    public boolean mirror = true;

    // run
    @Setting(help = "random seed of initialisation, order and augmentation")
    public long seed = 42;
    @Setting(help = "save a checkpoint every this many steps", range = "[1, inf)", label = "STEPS")
    public long checkpointEvery = 1000;
    @Setting(help = "verification accuracy on the pairs every this many steps (0: only at the end)", range = "[0, inf)",
        label = "STEPS")
    public long verifyEvery;
    @Setting(help = "image-decoding threads", range = "[1, inf)")
    public int loaderThreads = 2;
    @Setting(help = "batches decoded ahead", range = "[1, inf)", label = "BATCHES")
    public int prefetch = 4;
    @Setting(help = "data-parallel workers (ParallelWrapper; one per GPU)", range = "[1, inf)")
    public int workers = 1;
    @Setting(help = "number format of the backbone's convolutions: fp32, bf16 (mixed precision: weights, batch norm, "
        + "head and loss stay fp32) or auto (bf16 where oneDNN has AVX512-BF16 or AMX, else fp32)",
        choices = {"fp32", "bf16", "auto"})
    public String precision = "fp32";

    private static final ConfigKeys<TrainConfig> KEYS = new ConfigKeys<>(TrainConfig.class, TrainConfig::new);

    /** Every setting's key, type, default, valid values and help: the source of config files and CLI options. */
    public static ConfigKeys<TrainConfig> keys() {
        return KEYS;
    }

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
        if (!channels.isBlank()) spec = spec.channels(ConfigKey.ints(channels, "channels"));
        if (!units.isBlank()) spec = spec.units(ConfigKey.ints(units, "units"));
        if (!input.isBlank()) {
            int[] hw = ConfigKey.heightWidth(input, "input");
            spec = spec.input(hw[0], hw[1]);
        }
        if (embeddingSize > 0) spec = spec.embeddingSize(embeddingSize);
        if (dropoutKeep >= 0) spec = spec.dropoutKeep(dropoutKeep);
        return spec;
    }

    /** The pixel normalisation of the network input ({@link #normalisation}). */
    public PixelNormalisation pixelNormalisation() {
        return normalisation.equalsIgnoreCase("insightface") ? PixelNormalisation.INSIGHTFACE : PixelNormalisation.AMFACE;
    }

    /** The {@link #normalisation} name of {@code n}, or null when it is neither of the two known ones. */
    public static String normalisationName(PixelNormalisation n) {
        if (n.equals(PixelNormalisation.AMFACE)) return "amface";
        return n.equals(PixelNormalisation.INSIGHTFACE) ? "insightface" : null;
    }

    public HeadSpec headSpec() {
        return new HeadSpec(head, s, m, m1, m2, m3, learnScale, easyMargin, marginWarmup, headLrMultiplier);
    }

    /**
     * The precision training runs in: {@code auto} decided for this CPU, an explicit {@code bf16} where it cannot
     * run an error saying why.
     */
    public Precision resolvedPrecision() {
        return Precision.parse(precision).resolve();
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
                case "steps", "step" -> LearningRateSchedule.stepDecay(lr, lrFactor, lrSteps.isBlank() ? new int[0] : ConfigKey.ints(lrSteps, "lrSteps"), stepsPerEpoch);
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
        KEYS.check(this, "config");
        resolvedPrecision();
        int stages = backbone().channels().length;
        if (freezeStages > stages) {
            throw new IllegalArgumentException("freezeStages: " + freezeStages + " stages to freeze, " + backbone().name() + " has " + stages);
        }
        if (freezeStages > 0 && init == null) {
            throw new IllegalArgumentException("freezeStages: freezing needs trained weights to keep: give init (a model file)");
        }
        headSpec();
        learningRateSchedule();
        return this;
    }

    /** Every setting as {@code key = value} (unset paths are left out). */
    public Properties toProperties() {
        return KEYS.toProperties(this);
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
        return KEYS.apply(this, p, source);
    }

    /**
     * Gives a head named without numbers its paper's ({@link HeadKind}: ArcFace m = 0.5 at s = 64, SphereFace
     * m = 4): s and m are set unless {@code given} (the keys a config file or the user set) holds them.
     */
    public TrainConfig paperNumbers(java.util.Set<String> given) {
        HeadKind kind = HeadKind.named(head);
        if (!given.contains("m") && !Double.isNaN(kind.paperMargin())) m = kind.paperMargin();
        if (!given.contains("s") && !Double.isNaN(kind.paperScale())) s = kind.paperScale();
        return this;
    }

    /** Reads an experiment config file onto the defaults. */
    public static TrainConfig load(Path file) {
        return defaults().apply(read(file), file.toString());
    }

    /** A config file's {@code key = value} lines, unchecked. */
    public static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the config: " + e.getMessage(), e);
        }
        return p;
    }

    public static TrainConfig fromProperties(Properties p, String source) {
        return defaults().apply(p, source);
    }

    @Override
    public String toString() {
        return toProperties().toString();
    }
}
