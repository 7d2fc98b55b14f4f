package amface.identification;

/**
 * The top of a stream of impostor scores, enough to place a threshold at a low false accept rate exactly without
 * keeping the stream: for FAR f over n impostors only the f n + 1 largest matter. Two threshold rules, for the two
 * conventions the protocols follow:
 * <ul>
 * <li>{@link #thresholdAbove(double, long)} (amface's, as {@code eval.FarThreshold}): the (a+1)-th largest impostor,
 *     a = the most false accepts with a / n &lt;= f; accept when score &gt; threshold;</li>
 * <li>{@link #blufrVerificationRate} (the BLUFR toolkit's {@code EvalROC}): a = round(f n), threshold = the a-th
 *     largest impostor, accept when score &gt;= threshold; a = 0 accepts only scores above every impostor, a = n
 *     accepts everything.</li>
 * </ul>
 */
public final class ImpostorTail {
    private final TopScores top;
    private long count;

    /** Room for the {@code capacity} largest impostors. */
    public ImpostorTail(int capacity) {
        top = new TopScores(capacity);
    }

    /** A tail large enough for FAR {@code far} (amface rule) and BLUFR's round(far n) over at most {@code impostors}. */
    public static ImpostorTail forFar(double far, long impostors) {
        long a = Math.max(allowed(far, impostors), Math.round(far * impostors));
        if (a + 1 > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("FAR " + far + " of " + impostors + " impostors needs " + (a + 1) + " scores kept");
        return new ImpostorTail((int) (a + 1));
    }

    public void offer(double score) {
        count++;
        if (score > top.floor()) top.offer(score);
    }

    /** Impostor scores offered. */
    public long count() { return count; }

    /** The largest a in 0..n with a / n &lt;= target. */
    public static long allowed(double target, long n) {
        if (!(target >= 0 && target <= 1)) throw new IllegalArgumentException("target FAR must be in [0, 1], got " + target);
        long a = (long) Math.min(n, Math.floor(target * n));
        while (a + 1 <= n && (double) (a + 1) / n <= target) a++;
        while (a > 0 && (double) a / n > target) a--;
        return a;
    }

    /** The k-th largest impostor (1-based), which the tail must hold. */
    public double kthLargest(long k) {
        if (k < 1 || k > count) throw new IllegalArgumentException("rank " + k + " of " + count + " impostors");
        if (k > top.size()) throw new IllegalStateException("the tail keeps " + top.size() + " scores, the " + k + "-th is needed");
        return top.descending()[(int) (k - 1)];
    }

    /** amface's threshold at FAR {@code far} over the first {@code n} impostors offered so far (n = count()): accept when &gt;. */
    public double thresholdAbove(double far, long n) {
        long a = allowed(far, n);
        return a >= n ? Double.NEGATIVE_INFINITY : kthLargest(a + 1);
    }

    /** Share of {@code genuine} scores strictly above {@code threshold}. */
    public static double acceptRateAbove(double[] genuine, double threshold) {
        long n = 0;
        for (double g : genuine) if (g > threshold) n++;
        return genuine.length == 0 ? Double.NaN : (double) n / genuine.length;
    }

    /** The BLUFR toolkit's verification rate at FAR {@code far} ({@code EvalROC}'s rule, see the class comment). */
    public double blufrVerificationRate(double[] genuine, double far) {
        long n = count;
        long a = Math.round(far * n);
        if (a == 0) return acceptRateAbove(genuine, kthLargest(1));
        if (a >= n) return 1;
        double t = kthLargest(a);
        long accepted = 0;
        for (double g : genuine) if (g >= t) accepted++;
        return (double) accepted / genuine.length;
    }
}
