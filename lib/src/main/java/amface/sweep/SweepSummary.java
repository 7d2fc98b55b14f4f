package amface.sweep;

import static amface.eval.PopulationStats.mean;
import static amface.eval.PopulationStats.std;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A sweep's results by cell (head, m, s, learned s, backbone) over its folds and seeds: how many runs, accuracy mean
 * and standard deviation over those runs, AUC and EER likewise, and {@code foldStd}, the mean of each run's own
 * standard deviation over the evaluator's folds (the only spread there is when a cell has one run). Standard
 * deviations are population ones ({@code numpy.std}), as the LFW protocol reports them.
 */
public final class SweepSummary {
    public static final List<String> COLUMNS = List.of("cell", "head", "m", "s", "learnedS", "model", "runs", "accuracy", "accuracyStd",
        "foldStd", "auc", "aucStd", "eer", "eerStd");

    private SweepSummary() { }

    private record Key(String cell, String head, double m, double s, boolean learnedS, String model) { }

    /** One row per cell, in order of first appearance. */
    public static Table of(List<SweepRow> rows) {
        Map<Key, List<SweepRow>> groups = new LinkedHashMap<>();
        for (SweepRow r : rows) groups.computeIfAbsent(new Key(r.cell(), r.head(), r.m(), r.s(), r.learnedS(), r.model()), k -> new ArrayList<>()).add(r);
        StringColumn cell = StringColumn.create("cell");
        StringColumn head = StringColumn.create("head");
        DoubleColumn m = DoubleColumn.create("m");
        DoubleColumn s = DoubleColumn.create("s");
        BooleanColumn learned = BooleanColumn.create("learnedS");
        StringColumn model = StringColumn.create("model");
        IntColumn runs = IntColumn.create("runs");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn accStd = DoubleColumn.create("accuracyStd");
        DoubleColumn foldStd = DoubleColumn.create("foldStd");
        DoubleColumn auc = DoubleColumn.create("auc");
        DoubleColumn aucStd = DoubleColumn.create("aucStd");
        DoubleColumn eer = DoubleColumn.create("eer");
        DoubleColumn eerStd = DoubleColumn.create("eerStd");
        for (Map.Entry<Key, List<SweepRow>> e : groups.entrySet()) {
            Key k = e.getKey();
            List<SweepRow> g = e.getValue();
            cell.append(k.cell());
            head.append(k.head());
            m.append(k.m());
            s.append(k.s());
            learned.append(k.learnedS());
            model.append(k.model());
            runs.append(g.size());
            double[] a = g.stream().mapToDouble(SweepRow::accuracy).toArray();
            double[] u = g.stream().mapToDouble(SweepRow::auc).toArray();
            double[] r = g.stream().mapToDouble(SweepRow::eer).toArray();
            acc.append(mean(a));
            accStd.append(std(a));
            foldStd.append(mean(g.stream().mapToDouble(SweepRow::accuracyStd).toArray()));
            auc.append(mean(u));
            aucStd.append(std(u));
            eer.append(mean(r));
            eerStd.append(std(r));
        }
        return Table.create("sweep summary", cell, head, m, s, learned, model, runs, acc, accStd, foldStd, auc, aucStd, eer, eerStd);
    }
}
