package amface.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code amface} command line: one subcommand per job, each in its own class. */
@Command(name = "amface", mixinStandardHelpOptions = true, version = "amface 0.1.0",
    description = "Face verification with Additive Margin Softmax on Deeplearning4j.",
    subcommands = {
        DemoCommand.class,
        InfoCommand.class,
        SynthCommand.class,
        TrainCommand.class,
        SweepCommand.class,
        EmbedCommand.class,
        EvalCommand.class,
        CalibrateCommand.class,
        VerifyCommand.class,
        AlignCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Bad input is reported as one clear line, not a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError || e instanceof java.io.UncheckedIOException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("amface " + commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
