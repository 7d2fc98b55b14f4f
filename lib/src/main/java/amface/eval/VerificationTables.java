package amface.eval;

import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Verification results as Tablesaw tables for notebooks: one row per fold, or one row per compared run. */
public final class VerificationTables {
    private VerificationTables() { }

    /** fold, pairs, accuracy, threshold, val, far, val_threshold: one row per fold (folds numbered from 1). */
    public static Table folds(VerificationResult r) {
        int k = r.folds();
        IntColumn fold = IntColumn.create("fold");
        IntColumn pairs = IntColumn.create("pairs");
        for (int f = 0; f < k; f++) {
            fold.append(f + 1);
            pairs.append(r.kfold().size(f));
        }
        return Table.create("folds (" + r.metric().description() + ")",
            fold, pairs,
            DoubleColumn.create("accuracy", r.foldAccuracy()),
            DoubleColumn.create("threshold", r.foldThreshold()),
            DoubleColumn.create("val", r.foldVal()),
            DoubleColumn.create("far", r.foldFar()),
            DoubleColumn.create("val_threshold", r.foldValThreshold()));
    }

    /** One row per named result (for example one per flip mode), the figures of the JSON report side by side. */
    public static Table summary(Map<String, VerificationResult> results) {
        StringColumn name = StringColumn.create("run");
        IntColumn pairs = IntColumn.create("pairs");
        DoubleColumn acc = DoubleColumn.create("acc_mean"), accStd = DoubleColumn.create("acc_std");
        DoubleColumn val = DoubleColumn.create("val"), valStd = DoubleColumn.create("val_std"), far = DoubleColumn.create("far");
        DoubleColumn auc = DoubleColumn.create("auc"), eer = DoubleColumn.create("eer"), thr = DoubleColumn.create("mean_threshold");
        results.forEach((label, r) -> {
            name.append(label);
            pairs.append(r.pairs());
            acc.append(r.accuracyMean());
            accStd.append(r.accuracyStd());
            val.append(r.val());
            valStd.append(r.valStd());
            far.append(r.far());
            auc.append(r.auc());
            eer.append(r.eer());
            thr.append(r.meanThreshold());
        });
        return Table.create("verification", name, pairs, acc, accStd, val, valStd, far, auc, eer, thr);
    }
}
