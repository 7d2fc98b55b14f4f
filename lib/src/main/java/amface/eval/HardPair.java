package amface.eval;

import java.util.Locale;

import amface.data.LfwPairs;

/** A misjudged pair with its images: what a gallery of hardest mistakes shows. */
public record HardPair(LfwPairs.Pair pair, MisjudgedPair judgement) {

    /** E.g. "false accept: 0.412 < 1.130 (line 2345)". */
    public String caption() {
        MisjudgedPair j = judgement;
        String where = pair.line() > 0 ? " (line " + pair.line() + ")" : "";
        return String.format(Locale.ROOT, "%s: %.3f %s %.3f%s", j.falseAccept() ? "false accept" : "false reject",
            j.distance(), j.falseAccept() ? "<" : ">=", j.threshold(), where);
    }
}
