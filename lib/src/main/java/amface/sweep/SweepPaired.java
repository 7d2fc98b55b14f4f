package amface.sweep;

import static amface.eval.PopulationStats.mean;
import static amface.eval.PopulationStats.std;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.Table;

/**
 * Every cell against one baseline cell, run by run: a run is paired with the baseline's run on the same protocol,
 * fold, seed and backbone, so the spread between folds, which dominates a cell's standard deviation in
 * {@link SweepSummary}, cancels out. Per cell: the matched pairs, the mean and (population) std of the accuracy and
 * AUC differences, wins, ties and losses on accuracy, and the two-sided sign test's p-value (exact binomial over
 * the pairs that are not tied).
 */
public final class SweepPaired {
    private static final TableColumns TABLE = TableColumns.of().text("cell").number("s").text("model", "baseline").count("pairs")
        .number("accuracyDiff", "accuracyDiffStd", "aucDiff", "aucDiffStd").count("wins", "ties", "losses").number("signP");
    public static final List<String> COLUMNS = TABLE.names();

    private SweepPaired() { }

    private record Cell(String cell, double s, boolean learnedS, String model) { }

    private record Match(String protocol, int fold, long seed, String model) {
        static Match of(SweepRow r) {
            return new Match(r.protocol(), r.fold(), r.seed(), r.model());
        }
    }

    /**
     * One row per cell other than {@code baseline} that has at least one matched run, in order of first appearance.
     * Where the baseline was run at several scales, a run is matched with the baseline at its own s.
     *
     * @throws IllegalArgumentException when no run of the sweep belongs to {@code baseline}
     */
    public static Table against(List<SweepRow> rows, String baseline) {
        Map<Match, List<SweepRow>> base = new LinkedHashMap<>();
        Map<Cell, List<SweepRow>> cells = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            if (r.cell().equals(baseline)) base.computeIfAbsent(Match.of(r), k -> new ArrayList<>()).add(r);
            else cells.computeIfAbsent(new Cell(r.cell(), r.s(), r.learnedS(), r.model()), k -> new ArrayList<>()).add(r);
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException("no run of the baseline cell '" + baseline + "' in the sweep; cells: "
                + rows.stream().map(SweepRow::cell).distinct().toList());
        }
        Table table = TABLE.table("paired against " + baseline);
        for (Map.Entry<Cell, List<SweepRow>> e : cells.entrySet()) {
            List<Double> da = new ArrayList<>(), du = new ArrayList<>();
            int w = 0, t = 0, l = 0;
            for (SweepRow r : e.getValue()) {
                SweepRow b = partner(base.get(Match.of(r)), r);
                if (b == null) continue;
                double d = r.accuracy() - b.accuracy();
                if (Math.abs(d) < 1e-12) d = 0; // a tie: equal accuracies summed in another order (0.895 vs 0.8950000000000001)
                da.add(d);
                du.add(r.auc() - b.auc());
                if (d == 0) t++;
                else if (d > 0) w++;
                else l++;
            }
            if (da.isEmpty()) continue;
            Cell k = e.getKey();
            double[] a = da.stream().mapToDouble(Double::doubleValue).toArray();
            double[] u = du.stream().mapToDouble(Double::doubleValue).toArray();
            TableColumns.appendRow(table, k.cell(), k.s(), k.model(), baseline, da.size(), mean(a), std(a), mean(u), std(u), w, t, l, signTestP(w, l));
        }
        return table;
    }

    /** The baseline run to compare {@code run} with: the only candidate, or the one at the run's own scale. */
    private static SweepRow partner(List<SweepRow> candidates, SweepRow run) {
        if (candidates == null) return null;
        if (candidates.size() == 1) return candidates.get(0);
        List<SweepRow> sameScale = candidates.stream().filter(b -> b.s() == run.s()).toList();
        return sameScale.size() == 1 ? sameScale.get(0) : null;
    }

    /**
     * Two-sided exact sign test: the probability, with a fair coin for each of the {@code wins + losses} untied pairs,
     * of a split at least as uneven as the one seen. 1 when there is nothing to test.
     */
    static double signTestP(int wins, int losses) {
        int n = wins + losses;
        if (n == 0) return 1;
        int k = Math.min(wins, losses);
        double tail = 0;
        double term = Math.pow(0.5, n);   // C(n, 0) / 2^n
        for (int i = 0; i <= k; i++) {
            tail += term;
            term = term * (n - i) / (i + 1);
        }
        return Math.min(1, 2 * tail);
    }
}
