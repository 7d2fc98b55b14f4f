package amface.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import amface.eval.VerificationResult;
import amface.sweep.Sweep;
import amface.sweep.SweepConfig;
import amface.sweep.SweepListener;
import amface.sweep.SweepProtocol;
import amface.sweep.SweepResults;
import amface.sweep.SweepRow;
import amface.sweep.SweepRun;
import amface.train.TrainingException;

/**
 * {@code amface sweep}: a grid of training runs from one config file ({@link SweepConfig}), resumable: started
 * again after a kill or Ctrl-C it skips finished runs, continues a run from its checkpoint and starts the rest.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Train and evaluate a grid of heads, margins, scales, backbones, seeds and folds (see configs/sweep-*.properties).",
    "Writes OUT/runs/HASH/ (a training run folder per run), OUT/results.csv (a row per finished run), OUT/summary.csv, "
        + "OUT/summary.md (by cell, then each cell against softmax and NormFace run by run, then each cell's end loss), "
        + "OUT/accuracy-vs-m.png and OUT/loss-curves.png (training loss by cell: did it flatten?). "
        + "Run it again to resume: finished runs are skipped."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Sweep config: TrainConfig keys (the shared recipe) and sweep.* keys.")
    Path configFile;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The sweep folder.")
    Path out;
    @Option(names = "--min-images", paramLabel = "N", description = "Train only on identities with at least N images (overrides sweep.minImages).")
    Integer minImages;
    @Option(names = "--folds", paramLabel = "K1,K2|all", description = "lfw-foldout: 1-based LFW folds to run (overrides sweep.folds).")
    String folds;
    @Option(names = "--seeds", paramLabel = "S1,S2", description = "Training seeds (overrides sweep.seeds).")
    String seeds;
    @Option(names = "--cells", paramLabel = "C1,C2", description = "Head/margin cells, e.g. am:0.35,softmax (overrides sweep.cells): rerun one cell of a table.")
    String cells;
    @Option(names = "--summary-only", description = "Rebuild the summary files from the grid's rows of OUT/results.csv without training "
        + "(rows of other grids sharing the folder are left out; --cells/--folds/--seeds narrow it).")
    boolean summaryOnly;
    @Option(names = "--list", description = "Print the runs of the grid and what the sweep would do with each, without training.")
    boolean list;
    @Mixin
    QuietOption quiet;
    @Option(names = "--precision", paramLabel = "fp32|bf16|auto", description = "The runs' precision (overrides the config's precision key; "
        + "fp32 keeps the published run hashes, bf16 and auto-resolved-to-bf16 are other runs).")
    String precision;

    @Override
    public Integer call() {
        java.util.Properties overrides = new java.util.Properties();
        if (minImages != null) overrides.setProperty("sweep.minImages", minImages.toString());
        if (folds != null) overrides.setProperty("sweep.folds", folds);
        if (seeds != null) overrides.setProperty("sweep.seeds", seeds);
        if (cells != null) overrides.setProperty("sweep.cells", cells);
        if (precision != null) overrides.setProperty("precision", precision);
        Sweep sweep = Sweep.of(SweepConfig.load(configFile, overrides)).out(out);
        if (summaryOnly) {
            int inFile = sweep.results().size();
            if (inFile == 0) throw new UserError(out.resolve(SweepResults.FILE) + ": no finished runs to summarise");
            SweepResults r;
            try {
                r = sweep.summarise();
            } catch (TrainingException e) {
                throw new UserError(e.getMessage(), e);
            }
            if (r.size() == 0) {
                throw new UserError(out.resolve(SweepResults.FILE) + ": none of its " + inFile + " rows is a run of " + configFile
                    + " with these options (another grid's folder, or other --cells/--folds/--seeds?)");
            }
            System.out.print(r.markdown());
            System.out.println("summary of the grid's " + r.size() + " finished runs"
                + (inFile > r.size() ? " (" + (inFile - r.size()) + " other rows of " + SweepResults.FILE + " left out)" : "")
                + ": " + out.resolve(SweepResults.SUMMARY_MD) + ", " + out.resolve(SweepResults.CHART_PNG));
            return 0;
        }
        if (list) {
            SweepResults done = sweep.results();
            List<SweepRun> runs = sweep.runs();
            for (int i = 0; i < runs.size(); i++) {
                SweepRun r = runs.get(i);
                System.out.printf(Locale.ROOT, "run %d/%d %s [%s] %s%n", i + 1, runs.size(), r.label(), r.hash(), done.contains(r.hash()) ? "finished" : "to do");
            }
            return 0;
        }
        sweep.progress(quiet.progress()).listener(new Printer());

        // Ctrl-C: the current run checkpoints; the JVM waits for it before it goes.
        SweepResults results;
        try (StopOnShutdown stop = new StopOnShutdown(sweep::requestStop, "amface-sweep-stop")) {
            results = sweep.run();
        } catch (TrainingException e) {
            throw new UserError(e.getMessage(), e);
        }
        System.out.println();
        System.out.print(results.markdown());
        System.out.printf(Locale.ROOT, "%d runs in %s; summary %s, plot %s%n", results.size(), out.resolve(SweepResults.FILE),
            out.resolve(SweepResults.SUMMARY_MD), out.resolve(SweepResults.CHART_PNG));
        System.out.flush();
        return 0;
    }

    /** A line per run on stdout: what the sweep does with it and, when done, its figures. */
    private static final class Printer implements SweepListener {
        @Override
        public void planned(int runs, int finished) {
            System.out.printf(Locale.ROOT, "amface sweep: %d runs, %d finished before%n", runs, finished);
            System.out.flush();
        }

        @Override
        public void runStarting(SweepRun run, int index, int total, Action action) {
            String what = switch (action) {
                case SKIP -> "skipped (finished)";
                case EVALUATE -> "evaluating (trained before)";
                case RESUME -> "resumed from its checkpoint";
                case START -> "started";
            };
            System.out.printf(Locale.ROOT, "run %d/%d %s [%s]: %s%n", index, total, run.label(), run.hash(), what);
            System.out.flush();
        }

        @Override
        public void data(SweepRun run, SweepProtocol.Data data) {
            System.out.println("  " + data.description());
            System.out.flush();
        }

        @Override
        public void runFinished(SweepRun run, SweepRow row, VerificationResult result) {
            System.out.printf(Locale.ROOT, "  accuracy %.2f%% +- %.2f, AUC %.4f, EER %.4f, loss %.4f, %d steps, %.0f s%s%n", 100 * row.accuracy(),
                100 * row.accuracyStd(), row.auc(), row.eer(), row.finalLoss(), row.steps(), row.seconds(),
                Double.isNaN(row.finalScale()) ? "" : String.format(Locale.ROOT, ", learned s %.2f", row.finalScale()));
            System.out.flush();
        }
    }
}
