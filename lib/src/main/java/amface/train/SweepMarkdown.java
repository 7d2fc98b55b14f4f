package amface.train;

import java.util.Locale;

import tech.tablesaw.api.Table;

/**
 * Writes a {@link SweepSummary} table as a Markdown table ready to paste into the docs: accuracy and AUC in percent,
 * mean ± standard deviation over the cell's runs (over the evaluator's folds when the cell has one run, marked
 * with *).
 */
public final class SweepMarkdown {
    private SweepMarkdown() { }

    public static String encode(Table summary) {
        StringBuilder b = new StringBuilder();
        b.append("| head | m | s | backbone | runs | accuracy (%) | AUC (%) | EER (%) |\n");
        b.append("|---|---:|---:|---|---:|---:|---:|---:|\n");
        boolean foldSpread = false;
        for (int i = 0; i < summary.rowCount(); i++) {
            int runs = summary.intColumn("runs").getInt(i);
            boolean single = runs == 1;
            foldSpread |= single;
            double accStd = single ? summary.doubleColumn("foldStd").getDouble(i) : summary.doubleColumn("accuracyStd").getDouble(i);
            String head = summary.stringColumn("head").get(i);
            boolean margin = !head.equals("softmax") && !head.equals("normface");
            b.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %d | %.2f ± %.2f%s | %.2f ± %.2f | %.2f ± %.2f |%n",
                head, summary.booleanColumn("learnedS").get(i) ? " (learned s)" : "",
                margin ? SweepCell.number(summary.doubleColumn("m").getDouble(i)) : "-",
                SweepCell.number(summary.doubleColumn("s").getDouble(i)),
                summary.stringColumn("model").get(i), runs,
                100 * summary.doubleColumn("accuracy").getDouble(i), 100 * accStd, single ? "*" : "",
                100 * summary.doubleColumn("auc").getDouble(i), 100 * summary.doubleColumn("aucStd").getDouble(i),
                100 * summary.doubleColumn("eer").getDouble(i), 100 * summary.doubleColumn("eerStd").getDouble(i)));
        }
        b.append('\n').append("± is the standard deviation over the cell's runs (folds x seeds)");
        if (foldSpread) b.append("; * one run: over the evaluator's 10 folds");
        b.append(".\n");
        return b.toString();
    }
}
