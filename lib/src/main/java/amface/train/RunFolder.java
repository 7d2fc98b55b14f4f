package amface.train;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.ZipFile;

import amface.io.Sha256;
import amface.io.AtomicFile;
import amface.io.FolderLock;

/**
 * A training run folder as something owned and with an identity. Owned: one job at a time holds it
 * ({@link FolderLock}), from the moment a run is created or resumed until it ends. Identity: {@value #RECORD} records
 * what the run is, the recipe settings that decide the result (all but {@link Trainer#RESUMABLE_CHANGES}), with
 * their SHA-256, the backbone's architecture and the class list, so that a checkpoint found in the folder can be
 * checked against it before it is resumed; a foreign one is refused naming what differs, and nothing in the folder is
 * rewritten. A setting one side does not have counts as its default (so a key added to {@link TrainConfig} later
 * does not make old runs foreign). Also the cheap checks that a finished run's files are whole (for a sweep's resume).
 * <pre>{@code
 * try (RunFolder f = RunFolder.own(out, "amface train")) {
 *     f.requireSameRun(checkpointFile, checkpoint.config(), checkpoint.identities());
 * }
 * }</pre>
 */
public final class RunFolder implements AutoCloseable {
    /** The record of what the run is. */
    public static final String RECORD = "run.properties";
    private static final String RECIPE = "recipe.";
    private static final String ARCHITECTURE = "architecture.";

    private final Path dir;
    private final FolderLock lock;

    private RunFolder(Path dir, FolderLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** Takes the run folder (created if missing) for this job; another job's folder is a TrainingException naming it. */
    public static RunFolder own(Path dir, String command) {
        try {
            return new RunFolder(dir, FolderLock.acquire(dir, command));
        } catch (IOException e) {
            throw new TrainingException(e.getMessage(), e);
        }
    }

    public Path dir() { return dir; }

    /** Writes the record of what this run is (atomically), unless it exists. */
    void record(TrainConfig config, List<String> identities) {
        Path file = dir.resolve(RECORD);
        if (Files.exists(file)) return;
        Properties p = describe(config, identities);
        StringBuilder s = new StringBuilder("# what this run folder is: a checkpoint resumed here must match it\n");
        for (String k : new TreeSet<>(p.stringPropertyNames())) s.append(escape(k)).append('=').append(escape(p.getProperty(k))).append('\n');
        try {
            AtomicFile.writeString(file, s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Refuses a checkpoint that is not this folder's run: compares its recipe, architecture and class list with the
     * folder's record (or, in a folder from before records, with its {@code config.properties}); a folder with neither
     * is recorded from the checkpoint.
     */
    void requireSameRun(Path checkpoint, TrainConfig config, List<String> identities) {
        Properties found = describe(config, identities);
        Properties recorded = readRecord();
        String source = dir.resolve(RECORD).toString();
        if (recorded == null) {
            Path legacy = dir.resolve(Trainer.CONFIG_FILE);
            if (!Files.isRegularFile(legacy)) {
                record(config, identities);
                return;
            }
            recorded = recipeOnly(describe(TrainConfig.load(legacy), null));
            found = recipeOnly(found);
            source = legacy.toString();
        }
        List<String> differences = differences(recorded, found);
        if (!differences.isEmpty()) {
            throw new TrainingException(checkpoint + " is not this run's checkpoint: it differs from what " + source + " records in "
                + String.join("; ", differences) + ". Nothing was changed; resume it in its own run folder, or start a new run in another folder");
        }
        record(config, identities);
    }

    /** Releases the folder. */
    @Override
    public void close() {
        lock.close();
    }

    /** What a run is, as record lines. */
    static Properties describe(TrainConfig config, List<String> identities) {
        Properties p = new Properties();
        Properties recipe = TrainConfig.keys().identity(config); // settings added later, at their defaults, leave old records valid
        for (String k : Trainer.RESUMABLE_CHANGES) recipe.remove(k);
        recipe.remove("schedule"); // a path: the schedule's effect is in the recipe's lr settings and the checkpoint
        StringBuilder lines = new StringBuilder();
        for (String k : new TreeSet<>(recipe.stringPropertyNames())) {
            p.setProperty(RECIPE + k, recipe.getProperty(k));
            lines.append(k).append('=').append(recipe.getProperty(k)).append('\n');
        }
        p.setProperty("recipe.sha256", Sha256.hex(lines.toString()));
        Properties arch = config.backbone().toProperties();
        for (String k : arch.stringPropertyNames()) p.setProperty(ARCHITECTURE + k, arch.getProperty(k));
        p.setProperty("architecture", config.backbone().name());
        if (identities != null) {
            p.setProperty("classes", Integer.toString(identities.size()));
            p.setProperty("classes.sha256", Sha256.hex(String.join("\n", identities) + "\n"));
            p.setProperty("classes.first", String.join(", ", identities.subList(0, Math.min(5, identities.size()))));
        }
        return p;
    }

    private static Properties recipeOnly(Properties p) {
        Properties r = new Properties();
        for (String k : p.stringPropertyNames()) if (k.startsWith(RECIPE) && !k.equals("recipe.sha256")) r.setProperty(k, p.getProperty(k));
        return r;
    }

    /** The differences, for people: {@code head (run folder: am, checkpoint: arcface)}; missing keys count as defaults. */
    static List<String> differences(Properties recorded, Properties found) {
        Properties defaults = describe(TrainConfig.defaults(), null);
        TreeSet<String> keys = new TreeSet<>(recorded.stringPropertyNames());
        keys.addAll(found.stringPropertyNames());
        keys.remove("recipe.sha256"); // the recipe keys themselves say what differs
        keys.remove("classes.first");
        keys.remove("architecture");
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String a = recorded.getProperty(k, defaults.getProperty(k));
            String b = found.getProperty(k, defaults.getProperty(k));
            if (a == null && b == null || a != null && a.equals(b)) continue;
            String name = k.startsWith(RECIPE) ? k.substring(RECIPE.length()) : k;
            if (k.equals("classes.sha256")) {
                if (recorded.getProperty("classes", "").equals(found.getProperty("classes", ""))) {
                    out.add("the class list (same count, other identities: run folder starts " + recorded.getProperty("classes.first")
                        + ", checkpoint " + found.getProperty("classes.first") + ")");
                }
                continue;
            }
            if (k.startsWith(ARCHITECTURE)) {
                if (!out.contains(architecture(recorded, found))) out.add(architecture(recorded, found));
                continue;
            }
            out.add(name + " (run folder: " + a + ", checkpoint: " + b + ")");
        }
        return out;
    }

    private static String architecture(Properties recorded, Properties found) {
        return "the architecture (run folder: " + recorded.getProperty("architecture") + ", checkpoint: " + found.getProperty("architecture") + ")";
    }

    private Properties readRecord() {
        Path file = dir.resolve(RECORD);
        if (!Files.isRegularFile(file)) return null;
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new TrainingException(file + ": unreadable run record (" + e.getMessage() + "); move it aside to resume from the checkpoint alone", e);
        }
        return p;
    }


    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '#' || c == '!') b.append('\\');
            if (c == '\n') b.append("\\n");
            else b.append(c);
        }
        return b.toString();
    }

    /** What a run folder holds, judged by whole files only. */
    public enum State {
        /** No usable checkpoint: the run starts (again). */
        EMPTY,
        /** A whole checkpoint and no whole model: the run resumes. */
        CHECKPOINT,
        /** A whole model and checkpoint: the run is trained. */
        FINISHED
    }

    /**
     * The state of {@code runDir} from its files, each checked to be a whole zip (cheap: the central directory is
     * read, no network is built). A damaged checkpoint or model is moved aside ({@code NAME.damaged-N}), never
     * deleted, with a notice, so that the run can be redone.
     */
    public static State inspect(Path runDir, Consumer<String> notices) {
        Path checkpoint = runDir.resolve(Trainer.CHECKPOINT);
        Path model = runDir.resolve(Trainer.MODEL);
        boolean hasCheckpoint = wholeOrSetAside(checkpoint, notices);
        boolean hasModel = wholeOrSetAside(model, notices);
        if (hasModel && hasCheckpoint) return State.FINISHED;
        return hasCheckpoint ? State.CHECKPOINT : State.EMPTY;
    }

    private static boolean wholeOrSetAside(Path file, Consumer<String> notices) {
        if (!Files.exists(file)) return false;
        String problem = null;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() == 0) problem = "an empty zip";
        } catch (IOException e) {
            problem = "not a whole zip (" + e.getMessage() + ")";
        }
        if (problem == null) return true;
        try {
            Path aside = file;
            for (int i = 1; Files.exists(aside); i++) aside = file.resolveSibling(file.getFileName() + ".damaged-" + i);
            Files.move(file, aside);
            notices.accept(file + ": " + problem + "; moved to " + aside.getFileName() + " and the run redone from what is whole");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": damaged (" + problem + ") and cannot be moved aside: " + e.getMessage(), e);
        }
        return false;
    }
}
