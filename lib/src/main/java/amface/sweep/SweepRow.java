package amface.sweep;

import java.util.List;
import java.util.Locale;

/**
 * One finished run in a sweep's {@code results.csv}.
 *
 * @param hash        the run's identity ({@link SweepRun#hash}) and folder name
 * @param protocol    synthetic, lfw-foldout or pairs
 * @param fold        1-based LFW fold; 0 for all pairs
 * @param seed        the training seed
 * @param cell        the cell's label, e.g. {@code am:0.35:learned-s}
 * @param head        the head's name
 * @param m           the margin
 * @param s           the scale the run started with
 * @param learnedS    whether s was trained
 * @param model       the backbone's name in tables and plots ({@link SweepRun#modelName()})
 * @param identities  training identities
 * @param images      training images
 * @param accuracy    mean verification accuracy over the evaluator's folds
 * @param accuracyStd its standard deviation over those folds
 * @param auc         area under the ROC
 * @param eer         equal error rate
 * @param val         VAL at the evaluator's FAR target
 * @param far         the FAR reached there
 * @param finalLoss   the last step's loss
 * @param finalScale  the learned scale at the end (NaN unless learned)
 * @param steps       steps trained
 * @param seconds     training time over all sessions
 * @param finishedAt  when the evaluation ended (ISO-8601 UTC)
 */
public record SweepRow(String hash, String protocol, int fold, long seed, String cell, String head, double m, double s, boolean learnedS,
                       String model, int identities, int images, double accuracy, double accuracyStd, double auc, double eer, double val,
                       double far, double finalLoss, double finalScale, long steps, double seconds, String finishedAt) {

    public static final List<String> COLUMNS = List.of("hash", "protocol", "fold", "seed", "cell", "head", "m", "s", "learnedS", "model",
        "identities", "images", "accuracy", "accuracyStd", "auc", "eer", "val", "far", "finalLoss", "finalScale", "steps", "seconds", "finishedAt");

    /** This row with another backbone name (the name is not part of the run's identity). */
    SweepRow withModel(String name) {
        return new SweepRow(hash, protocol, fold, seed, cell, head, m, s, learnedS, name, identities, images, accuracy, accuracyStd, auc, eer,
            val, far, finalLoss, finalScale, steps, seconds, finishedAt);
    }

    /** The CSV line (no newline); NaN is written as an empty field. */
    String toCsv() {
        return String.join(",", hash, protocol, Integer.toString(fold), Long.toString(seed), cell, head, num(m), num(s), Boolean.toString(learnedS),
            model, Integer.toString(identities), Integer.toString(images), num(accuracy), num(accuracyStd), num(auc), num(eer), num(val), num(far),
            num(finalLoss), num(finalScale), Long.toString(steps), num(seconds), finishedAt);
    }

    /** Parses a line written by {@link #toCsv}; errors name {@code where} (file:line) and the field. */
    static SweepRow parse(String line, String where) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS.size()) {
            throw new IllegalArgumentException(where + ": expected " + COLUMNS.size() + " fields (" + String.join(",", COLUMNS) + "), found " + f.length);
        }
        Fields r = new Fields(f, where);
        return new SweepRow(r.text(0), r.text(1), r.whole(2), r.along(3), r.text(4), r.text(5), r.number(6), r.number(7), r.bool(8), r.text(9),
            r.whole(10), r.whole(11), r.number(12), r.number(13), r.number(14), r.number(15), r.number(16), r.number(17), r.number(18),
            r.number(19), r.along(20), r.number(21), r.text(22));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private record Fields(String[] f, String where) {
        String text(int i) { return f[i].strip(); }

        int whole(int i) {
            try {
                return Integer.parseInt(f[i].strip());
            } catch (NumberFormatException e) {
                throw bad(i, "a whole number");
            }
        }

        long along(int i) {
            try {
                return Long.parseLong(f[i].strip());
            } catch (NumberFormatException e) {
                throw bad(i, "a whole number");
            }
        }

        double number(int i) {
            if (f[i].isBlank()) return Double.NaN;
            try {
                return Double.parseDouble(f[i].strip());
            } catch (NumberFormatException e) {
                throw bad(i, "a number");
            }
        }

        boolean bool(int i) {
            String v = f[i].strip().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) throw bad(i, "true or false");
            return v.equals("true");
        }

        IllegalArgumentException bad(int i, String what) {
            return new IllegalArgumentException(where + ": " + COLUMNS.get(i) + " = '" + f[i] + "' is not " + what);
        }
    }
}
