package amface.identification;

import java.util.Locale;

/**
 * Closed-set identification: the cumulative match characteristic, the share of mated probes whose mate ranks at
 * most r, for r = 1 ... maxRank (non-mated probes are left out; ties with a non-mate count against, see
 * {@link IdentificationScores}).
 * <pre>{@code
 * Cmc cmc = Cmc.of(scores, 20);  cmc.rate(1);  cmc.rates();  IdentificationCharts.cmc(Map.of("model", cmc));
 * }</pre>
 */
public final class Cmc {
    private final double[] rates;
    private final int probes;

    private Cmc(double[] rates, int probes) {
        this.rates = rates;
        this.probes = probes;
    }

    /** The CMC up to {@code maxRank}, which must not exceed the scores' depth. */
    public static Cmc of(IdentificationScores scores, int maxRank) {
        if (maxRank < 1) throw new IllegalArgumentException("max rank must be at least 1, got " + maxRank);
        if (maxRank > scores.depth()) throw new IllegalArgumentException("rank " + maxRank + " is beyond the search depth " + scores.depth());
        int mated = scores.matedCount();
        if (mated == 0) throw new IllegalArgumentException("no mated probe: a CMC needs probes whose identity is enrolled");
        long[] atRank = new long[maxRank + 1];
        for (int p = 0; p < scores.probes(); p++) {
            int r = scores.mateRank(p);
            if (scores.mated(p) && r >= 1 && r <= maxRank) atRank[r]++;
        }
        double[] rates = new double[maxRank];
        long cumulative = 0;
        for (int r = 1; r <= maxRank; r++) {
            cumulative += atRank[r];
            rates[r - 1] = (double) cumulative / mated;
        }
        return new Cmc(rates, mated);
    }

    /** Identification rate at rank {@code r} (1-based). */
    public double rate(int r) {
        if (r < 1 || r > rates.length) throw new IllegalArgumentException("rank " + r + " is outside 1.." + rates.length);
        return rates[r - 1];
    }

    /** Rates at ranks 1 ... maxRank. */
    public double[] rates() { return rates.clone(); }

    public int maxRank() { return rates.length; }

    /** Mated probes the rates are over. */
    public int probes() { return probes; }

    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "CMC over %d mated probes: rank-1 %.4f", probes, rates[0]));
        for (int r : new int[] {5, 10, 20}) if (r <= rates.length) s.append(String.format(Locale.ROOT, ", rank-%d %.4f", r, rates[r - 1]));
        return s.toString();
    }

    @Override
    public String toString() { return "Cmc[" + summary() + "]"; }
}
