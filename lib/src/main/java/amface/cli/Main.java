package amface.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParseResult;

/** The {@code amface} command line: one subcommand per job, each in its own class. */
@Command(name = "amface", mixinStandardHelpOptions = true, version = "amface 0.1.0",
    description = "Face verification with Additive Margin Softmax on Deeplearning4j.",
    footerHeading = "%nThe flow:%n",
    footer = {"  demo does it all on synthetic faces.", "  With photos: align -> train (or sweep) -> embed -> eval.",
        "  test and lab are run by the ./amface launcher itself.", "  amface COMMAND --help tells more."},
    subcommands = {
        DemoCommand.class,
        InfoCommand.class,
        SynthCommand.class,
        TrainCommand.class,
        SweepCommand.class,
        EmbedCommand.class,
        EvalCommand.class,
        IdentEvalCommand.class,
        ExportCommand.class,
        ImportCommand.class,
        CalibrateCommand.class,
        QuantizeCommand.class,
        VerifyCommand.class,
        IndexCommand.class,
        IdentifyCommand.class,
        AlignCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

    /** Commands the {@code ./amface} launcher runs itself, before Java starts; listed with the others. */
    static final Map<String, String> LAUNCHER_COMMANDS = new LinkedHashMap<>();

    static {
        LAUNCHER_COMMANDS.put("test", "Run every test: Maven verify, then the notebook and browser tests.");
        LAUNCHER_COMMANDS.put("lab", "Start JupyterLab with the \"Java (amface)\" kernel.");
    }

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
        // --help does not hide an unknown command or option: 'amface NO-SUCH --help' is an error (exit 2), as without --help
        cli.setExecutionStrategy(parseResult -> {
            ParseResult last = parseResult;
            while (last.hasSubcommand()) last = last.subcommand();
            if (!last.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(last.commandSpec().commandLine(), last.unmatched());
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
        return cli.execute(args);
    }

    /** Every command with its whole first sentence (picocli's list cuts at the first description line), launcher ones too. */
    static String commandList(Help help) {
        Map<String, String> rows = new LinkedHashMap<>();
        help.subcommands().forEach((name, sub) -> {
            UsageMessageSpec usage = sub.commandSpec().usageMessage();
            rows.put(name, firstSentence(usage.header().length > 0 ? usage.header() : usage.description()));
        });
        rows.putAll(LAUNCHER_COMMANDS);
        int nameWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(4) + 4;
        int width = help.commandSpec().usageMessage().width();
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
            new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN), new Help.Column(width - nameWidth, 1, Help.Column.Overflow.WRAP));
        rows.forEach((name, text) -> table.addRowValues(name, text));
        return table.toString();
    }

    /** The description up to its first full stop, joined across lines. */
    static String firstSentence(String[] description) {
        String all = String.join(" ", description).replace("%n", " ").replaceAll("\\s+", " ").strip();
        List<Integer> stops = new ArrayList<>();
        for (int i = 0; i < all.length(); i++) if (all.charAt(i) == '.' && (i + 1 == all.length() || all.charAt(i + 1) == ' ')) stops.add(i);
        return stops.isEmpty() ? all : all.substring(0, stops.get(0) + 1);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
