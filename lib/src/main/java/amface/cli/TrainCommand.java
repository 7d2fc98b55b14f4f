package amface.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import amface.config.ConfigKey;
import amface.nn.layers.MixedPrecision;
import amface.train.TrainConfig;
import amface.train.TrainListener;
import amface.train.TrainResult;
import amface.train.Trainer;
import amface.train.TrainingException;

/**
 * {@code amface train}: the reference recipe by default; every setting of {@link TrainConfig} as an option generated
 * from its {@link ConfigKey} (name, aliases, help, default, valid values), {@code --set key=value} for the same
 * settings by key, an experiment config file ({@code --config}) underneath, {@code --resume} to continue a run
 * folder. Ctrl-C saves a checkpoint before the process ends.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = TrainCommand.Settings.class,
    description = {
        "Train a face-embedding network with a margin head (defaults: the reference AM-softmax recipe).",
        "Writes OUT/checkpoint.zip (every --checkpoint-every steps, at the end, on Ctrl-C), OUT/metrics.csv, OUT/config.properties.",
        "Resume an interrupted run with: amface train --out OUT --resume"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Experiment config: key = value lines (the keys below, camel case); options override it.")
    Path configFile;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The run folder.")
    Path out;
    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
    boolean resume;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by its config key, e.g. --set dropoutKeep=0.5.")
    Map<String, String> set = new LinkedHashMap<>();
    @Option(names = "--epochs", paramLabel = "N", description = "Total schedule epochs (sets steps to epochs x stepsPerEpoch).")
    Long epochs;
    @Mixin
    QuietOption quiet;
    @Spec
    CommandSpec spec;

    /** Adds one option per {@link TrainConfig} setting that the class does not declare itself (such as --out). */
    static final class Settings implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (ConfigKey key : TrainConfig.keys().all()) {
                if (key.flags().stream().anyMatch(command.optionsMap()::containsKey)) continue;
                // descriptionKey carries the config key to given(); there is no resource bundle to look it up in
                OptionSpec.Builder o = OptionSpec.builder(key.flags().toArray(String[]::new)).descriptionKey(key.name());
                if (key.type() == boolean.class) {
                    o.arity("0").type(boolean.class).description(sentence(key, key.negatedFlag() ? "no " + key.help() : key.help()));
                    command.addOption(o.build());
                    continue;
                }
                java.util.List<String> notes = new java.util.ArrayList<>();
                if (!key.choicesFromRegistry() && !key.validValues().isEmpty()) notes.add(key.validValues());
                if (key.defaultText() != null) notes.add("default ${DEFAULT-VALUE}");
                o.type(String.class).paramLabel(key.label()).description(sentence(key, key.help()
                    + (key.choicesFromRegistry() ? ": ${COMPLETION-CANDIDATES}" : "") + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")));
                if (key.defaultText() != null) o.defaultValue(key.defaultText());
                if (key.choicesFromRegistry()) o.completionCandidates(key.choices());
                command.addOption(o.build());
            }
            return command;
        }

        /**
         * A setting's help as the other commands' option texts read: a capital first letter (unless the text starts
         * with one of the key's own values, such as sgd) and a full stop. The config keys' help stays as written.
         */
        static String sentence(ConfigKey key, String help) {
            String first = help.split("[^A-Za-z0-9-]", 2)[0];
            String s = key.choices().contains(first) ? help : Character.toUpperCase(help.charAt(0)) + help.substring(1);
            return s.endsWith(".") ? s : s + ".";
        }
    }

    /** The settings given on the command line: {@code --set} pairs and generated options, each once (checked on apply). */
    Properties given() {
        Properties p = new Properties();
        set.forEach(p::setProperty);
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            ConfigKey key = TrainConfig.keys().get(o.descriptionKey());
            if (key == null) continue; // a hand-written option
            if (p.containsKey(key.name())) throw new UserError(key.name() + " is given twice (" + o.longestName() + " and --set)");
            p.setProperty(key.name(), key.negatedFlag() ? "false" : o.getValue().toString());
        }
        return p;
    }

    /** A new run's config: the defaults, the config file, the options, the head's paper numbers where none are set. */
    TrainConfig config(Properties options) {
        Properties file = configFile != null ? TrainConfig.read(configFile) : new Properties();
        TrainConfig config = TrainConfig.defaults().apply(file, String.valueOf(configFile)).apply(options, "options");
        Set<String> given = new HashSet<>(file.stringPropertyNames());
        given.addAll(options.stringPropertyNames());
        config.paperNumbers(given);
        if (epochs != null) {
            if (epochs < 1) throw new UserError("--epochs = " + epochs + " is out of range: must be in [1, inf)");
            config.steps = epochs * config.stepsPerEpoch;
        }
        config.out = out;
        if (config.data == null) throw new UserError("--data DIR is needed (or data = DIR in --config)");
        return config;
    }

    @Override
    public Integer call() {
        Properties options = given();
        Trainer trainer;
        try {
            if (resume) {
                if (configFile != null) throw new UserError("--config starts a new run; --resume continues the saved one");
                if (epochs != null) throw new UserError("--epochs cannot change a resumed run; use --steps");
                trainer = Trainer.resume(out, options, null);
            } else {
                trainer = Trainer.create(config(options));
            }
        } catch (TrainingException e) {
            throw new UserError(e.getMessage(), e);
        }
        TrainConfig c = trainer.config();
        System.err.printf(Locale.ROOT, "amface train: %s%s, %d identities, %d images %s -> %s%n", resume ? "resuming at step " + trainer.startStep() + ", " : "",
            c.backbone().name(), trainer.dataset().identityCount(), trainer.dataset().size(), trainer.inputFit(), c.out);
        trainer.progress(quiet.progress());
        trainer.listener(new TrainListener() {
            @Override
            public void started(TrainInfo info) {
                System.err.printf(Locale.ROOT, "  head %s, %,d parameters, batch %d x %d worker(s), %s, schedule %s, precision %s%n", info.head(),
                    info.parameters(), c.batch, c.workers, c.optimizer, c.learningRateSchedule().describe(), MixedPrecision.describe(c.resolvedPrecision()));
            }

            @Override
            public void verified(long step, double accuracy, double std) {
                System.err.printf(Locale.ROOT, "%n  step %d: verification accuracy %.2f%% +- %.2f%n", step, 100 * accuracy, 100 * std);
            }
        });

        // Ctrl-C: the trainer checkpoints, and the JVM waits for it before it goes.
        try (StopOnShutdown stop = new StopOnShutdown(trainer::requestStop, "amface-train-stop")) {
            TrainResult r;
            try {
                r = trainer.run();
            } catch (TrainingException e) {
                throw new UserError(e.getMessage(), e);
            }
            System.out.printf(Locale.ROOT, "%s %d steps, loss %.4f%s; %s%n", r.interrupted() ? "stopped after" : "trained", r.step(), r.lastLoss(),
                Double.isNaN(r.verificationAccuracy()) ? "" : String.format(Locale.ROOT, ", verification accuracy %.2f%%", 100 * r.verificationAccuracy()),
                r.interrupted() ? "checkpoint " + r.checkpoint() + " (continue with --resume)" : "model " + r.model());
            System.out.flush();
        }
        return 0;
    }
}
