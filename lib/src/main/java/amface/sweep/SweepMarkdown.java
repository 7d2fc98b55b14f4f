package amface.sweep;

import java.util.Locale;

import tech.tablesaw.api.Table;

import amface.head.HeadKind;

/**
 * Writes a {@link SweepSummary} table as a Markdown table ready to paste into the docs: accuracy and AUC in percent,
 * mean ± standard deviation over the cell's runs (over the evaluator's folds when the cell has one run, marked
 * with *); and a {@link SweepPaired} table as "each cell against a baseline, run by run".
 */
public final class SweepMarkdown {
    private SweepMarkdown() { }

    public static String encode(Table summary) {
        StringBuilder b = new StringBuilder();
        b.append("| head | m | s | backbone | runs | accuracy (%) | AUC (%) | EER (%) | run time (s) |\n");
        b.append("|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        boolean foldSpread = false;
        for (int i = 0; i < summary.rowCount(); i++) {
            int runs = summary.intColumn("runs").getInt(i);
            boolean single = runs == 1;
            foldSpread |= single;
            double accStd = single ? summary.doubleColumn("foldStd").getDouble(i) : summary.doubleColumn("accuracyStd").getDouble(i);
            String head = summary.stringColumn("head").get(i);
            boolean margin = HeadKind.named(head).takesMargin();
            b.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %d | %.2f ± %.2f%s | %.2f ± %.2f | %.2f ± %.2f | %.0f |%n",
                head, summary.booleanColumn("learnedS").get(i) ? " (learned s)" : "",
                margin ? SweepCell.number(summary.doubleColumn("m").getDouble(i)) : "-",
                SweepCell.number(summary.doubleColumn("s").getDouble(i)),
                summary.stringColumn("model").get(i), runs,
                100 * summary.doubleColumn("accuracy").getDouble(i), 100 * accStd, single ? "*" : "",
                100 * summary.doubleColumn("auc").getDouble(i), 100 * summary.doubleColumn("aucStd").getDouble(i),
                100 * summary.doubleColumn("eer").getDouble(i), 100 * summary.doubleColumn("eerStd").getDouble(i),
                summary.doubleColumn("seconds").getDouble(i)));
        }
        b.append('\n').append("± is the standard deviation over the cell's runs (folds x seeds); run time: the mean over them (a time, not a speed: "
            + "the load varies)");
        if (foldSpread) b.append("; * one run: over the evaluator's 10 folds");
        b.append(".\n");
        return b.toString();
    }

    /** The training-loss curves' ends ({@link SweepLossChart}): did each cell's loss flatten before training stopped? */
    public static String loss(java.util.List<SweepLossChart.Curve> curves) {
        StringBuilder b = new StringBuilder("| cell, backbone | runs | steps | end loss | share of the fall in the last quarter |\n|---|---:|---:|---:|---:|\n");
        for (SweepLossChart.Curve c : curves) {
            if (c.steps().length == 0) continue;
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.1f %% |%n", c.label(), c.runs(), (long) c.steps()[c.steps().length - 1],
                c.endLoss(), 100 * c.lastQuarterShare()));
        }
        b.append('\n').append("End loss: the mean training loss (smoothed, averaged over the cell's runs) over the last 5 % of the steps; ")
            .append("share of the fall in the last quarter: (loss at three quarters - end loss) / (start loss - end loss); a flattened ")
            .append("curve gives a few percent, a steadily falling one 25 % or more.\n");
        return b.toString();
    }

    /** A {@link SweepPaired} table: differences in percentage points, wins / ties / losses, sign-test p. */
    public static String paired(Table paired) {
        StringBuilder b = new StringBuilder();
        String baseline = paired.rowCount() > 0 ? paired.stringColumn("baseline").get(0) : "?";
        b.append("| cell | backbone | pairs | accuracy - ").append(baseline).append(" (points) | AUC - ").append(baseline)
            .append(" (points) | wins / ties / losses | sign test p |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < paired.rowCount(); i++) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %+.2f ± %.2f | %+.2f ± %.2f | %d / %d / %d | %.3f |%n",
                paired.stringColumn("cell").get(i), paired.stringColumn("model").get(i), paired.intColumn("pairs").getInt(i),
                100 * paired.doubleColumn("accuracyDiff").getDouble(i), 100 * paired.doubleColumn("accuracyDiffStd").getDouble(i),
                100 * paired.doubleColumn("aucDiff").getDouble(i), 100 * paired.doubleColumn("aucDiffStd").getDouble(i),
                paired.intColumn("wins").getInt(i), paired.intColumn("ties").getInt(i), paired.intColumn("losses").getInt(i),
                paired.doubleColumn("signP").getDouble(i)));
        }
        b.append('\n').append("Each run against the ").append(baseline).append(" run on the same fold and seed; ± is the standard deviation ")
            .append("of those differences; p is the two-sided exact sign test over the pairs that are not tied.\n");
        return b.toString();
    }
}
