package amface.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import amface.io.Sha256;
import amface.nn.layers.Precision;
import amface.eval.FlipMode;
import amface.train.TrainConfig;

/**
 * One run of a sweep: a cell of the grid with its effective recipe, and its identity, the {@link #hash}: the
 * first 12 hex digits of the SHA-256 of {@link #definition}. The definition is what decides the result: the
 * recipe's settings except where files live and how fast they are read, plus the data's identity (protocol, fold,
 * minimum images, synthetic parameters; never an absolute path, so a sweep copied to another machine keeps its
 * results) and the evaluation's flip mode.
 *
 * @param cell     the head and margin
 * @param s        the scale asked for (the recipe's s may differ: 1 for softmax)
 * @param model    the backbone
 * @param seed     the recipe's seed
 * @param fold     1-based LFW fold for lfw-foldout; 0 when the protocol tests on all its pairs
 * @param protocol the protocol's name
 * @param dataIdentity what decides the training and test data, e.g. {@code lfw-foldout fold=3 minImages=2}
 * @param flip     test-time flip of the evaluation
 * @param config   the effective recipe ({@code data} and {@code out} are filled in when the run starts)
 */
public record SweepRun(SweepCell cell, double s, SweepModel model, long seed, int fold, String protocol, String dataIdentity, FlipMode flip,
                       TrainConfig config) {
    /** Settings that say where things are or how fast they go, not what is trained. */
    static final Set<String> NOT_IDENTITY = Set.of("out", "data", "pairs", "pairsRoot", "pairsExtension", "loaderThreads", "prefetch",
        "checkpointEvery", "verifyEvery", "workers", "cacheImages");
    public static final String DEFINITION_FILE = "sweep-run.properties";

    public SweepRun {
        config = config.clone();
    }

    @Override
    public TrainConfig config() {
        return config.clone();
    }

    /** The canonical text the hash is taken of: sorted {@code key=value} lines. */
    public String definition() {
        Properties p = TrainConfig.keys().identity(config);
        for (String k : NOT_IDENTITY) p.remove(k);
        // precision joined the keys later: at fp32 (its default, or auto resolved to it) it is left out, so the
        // published hashes stand; auto is hashed as what it resolved to (bf16 here), never as "auto"
        p.remove("precision");
        Precision precision = Precision.parse(config.precision);
        if (precision == Precision.AUTO) precision = precision.resolve();
        if (precision != Precision.FP32) p.setProperty("precision", precision.toString());
        if (config.schedule != null) p.setProperty("schedule", "sha256:" + Sha256.hex(readSchedule(config.schedule)));
        p.setProperty("sweep.protocol", protocol);
        p.setProperty("sweep.data", dataIdentity);
        p.setProperty("sweep.fold", Integer.toString(fold));
        p.setProperty("sweep.flip", flip.cliName());
        StringBuilder s = new StringBuilder();
        for (String k : new TreeSet<>(p.stringPropertyNames())) s.append(k).append('=').append(p.getProperty(k)).append('\n');
        return s.toString();
    }

    /** 12 hex digits of SHA-256 over {@link #definition}: the run's folder name and results key. */
    public String hash() {
        return Sha256.hex(definition()).substring(0, 12);
    }

    /** The run's folder under a sweep's output: {@code OUT/runs/HASH}. */
    public Path dir(Path sweepOut) {
        return sweepOut.resolve("runs").resolve(hash());
    }

    /**
     * The backbone as tables and plots name it: a named variant by its name, a plain backbone by what its settings
     * make of it ({@code resface8-16c-56x48} for the published grids' 16-64-channel, 0/1/1/0-unit net at 56x48,
     * which the config calls {@code model = resface20}). Not part of the hash.
     */
    public String modelName() {
        return model.isVariant() ? model.name() : config.backbone().name();
    }

    /** For people: {@code am:0.35 s=30 resface8-16c-56x48 fold 2 seed 1}. */
    public String label() {
        StringBuilder b = new StringBuilder(cell.label());
        if (!cell.isSoftmax()) b.append(" s=").append(SweepCell.number(s));
        b.append(' ').append(modelName());
        if (fold > 0) b.append(" fold ").append(fold);
        b.append(" seed ").append(seed);
        return b.toString();
    }

    private static byte[] readSchedule(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the schedule file: " + e.getMessage(), e);
        }
    }


    @Override
    public String toString() {
        return hash() + " " + label();
    }
}
