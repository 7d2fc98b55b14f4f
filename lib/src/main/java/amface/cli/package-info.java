/**
 * The {@code amface} command line: one picocli subcommand per job, each in its own class, over the library's
 * public API; no logic of its own beyond reading options, printing progress and mapping errors to one line.
 *
 * <pre>{@code
 * int code = Main.run("train", "--data", "faces", "--out", "runs/am20", "--head", "arc");  // what ./amface runs
 * int help = Main.run("--help");            // every command with its first sentence, test and lab included
 * int bad = Main.run("NO-SUCH", "--help");  // 2: an unknown command is an error even with --help
 * }</pre>
 *
 * <ul>
 *   <li>{@link amface.cli.Main}: the entry point; one-line errors (exit 2) for bad input, the command list and the
 *       flow in {@code --help}. {@code test} and {@code lab} are run by the {@code ./amface} launcher itself and
 *       only listed here.</li>
 *   <li>{@code TrainCommand}: its options are generated from {@link amface.train.TrainConfig}'s settings (name,
 *       aliases, help, valid values, default), plus {@code --set key=value}; a new config key needs no CLI code.</li>
 *   <li>Choices such as {@code --model} and {@code --head} list the registries ({@link amface.nn.Backbone},
 *       {@link amface.head.HeadKind}).</li>
 *   <li>An option that recurs with one meaning is declared once, in a picocli {@code @Mixin} class with its check:
 *       {@code ModelFileOption}, {@code FlipOption}, {@code BatchOption}, {@code FoldsOption},
 *       {@code PairsExtensionOption}, {@code JsonFileOption}, {@code QuietOption}, {@code AlignThreadsOption},
 *       {@code HnswSearchOption}, {@code SyntheticFacesOptions}, {@code FacePipelineOptions}, {@code MtcnnOptions},
 *       {@code GallerySourceOptions}. Where commands want different
 *       defaults, the command constructs the mixin ({@code @Mixin BatchOption batch = new BatchOption(32);}) and
 *       {@code ${DEFAULT-VALUE}} shows its own. Options that only look alike ({@code --seed} of synth and of
 *       ident-eval, {@code --out}, {@code --precision} of embed and of train) stay with their commands.</li>
 *   <li>{@code ConsoleProgress} draws {@link amface.data.Progress} as a text bar; {@code StopOnShutdown} turns
 *       Ctrl-C into a checkpoint.</li>
 * </ul>
 *
 * <p>The top layer: it may use every other package; nothing in the library may depend on it.
 */
package amface.cli;
