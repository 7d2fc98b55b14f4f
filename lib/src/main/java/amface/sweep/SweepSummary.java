package amface.sweep;

import static amface.eval.PopulationStats.mean;
import static amface.eval.PopulationStats.std;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.Table;

/**
 * A sweep's results by cell (head, m, s, learned s, backbone) over its folds and seeds: how many runs, accuracy mean
 * and standard deviation over those runs, AUC and EER likewise, and {@code foldStd}, the mean of each run's own
 * standard deviation over the evaluator's folds (the only spread there is when a cell has one run). Standard
 * deviations are population ones ({@code numpy.std}), as the LFW protocol reports them. {@code seconds} is the mean
 * run time ({@link SweepRow#seconds()}: training time over all of a run's sittings).
 */
public final class SweepSummary {
    private static final TableColumns TABLE = TableColumns.of().text("cell", "head").number("m", "s").flag("learnedS").text("model")
        .count("runs").number("accuracy", "accuracyStd", "foldStd", "auc", "aucStd", "eer", "eerStd", "seconds");
    public static final List<String> COLUMNS = TABLE.names();

    private SweepSummary() { }

    private record Key(String cell, String head, double m, double s, boolean learnedS, String model) { }

    /** One row per cell, in order of first appearance. */
    public static Table of(List<SweepRow> rows) {
        Map<Key, List<SweepRow>> groups = new LinkedHashMap<>();
        for (SweepRow r : rows) groups.computeIfAbsent(new Key(r.cell(), r.head(), r.m(), r.s(), r.learnedS(), r.model()), k -> new ArrayList<>()).add(r);
        Table table = TABLE.table("sweep summary");
        for (Map.Entry<Key, List<SweepRow>> e : groups.entrySet()) {
            Key k = e.getKey();
            List<SweepRow> g = e.getValue();
            double[] a = g.stream().mapToDouble(SweepRow::accuracy).toArray();
            double[] u = g.stream().mapToDouble(SweepRow::auc).toArray();
            double[] r = g.stream().mapToDouble(SweepRow::eer).toArray();
            TableColumns.appendRow(table, k.cell(), k.head(), k.m(), k.s(), k.learnedS(), k.model(), g.size(), mean(a), std(a),
                mean(g.stream().mapToDouble(SweepRow::accuracyStd).toArray()), mean(u), std(u), mean(r), std(r),
                mean(g.stream().mapToDouble(SweepRow::seconds).toArray()));
        }
        return table;
    }
}
