package amface.eval;

/**
 * Contiguous, unshuffled folds over {@code n} items in their given order, as scikit-learn's
 * {@code KFold(k, shuffle=False)}: fold sizes differ by at most one, the first {@code n % k} folds are the larger.
 * The LFW protocol relies on this order: pairs-file order decides which pairs are tested together.
 */
public final class KFold {
    private final int n;
    private final int k;
    private final int[] starts;

    private KFold(int n, int k) {
        this.n = n;
        this.k = k;
        this.starts = new int[k + 1];
        int base = n / k;
        int larger = n % k;
        for (int f = 0; f < k; f++) starts[f + 1] = starts[f] + base + (f < larger ? 1 : 0);
    }

    /** {@code k} folds over {@code n} items; every fold must get at least one item. */
    public static KFold of(int n, int k) {
        if (k < 2) throw new IllegalArgumentException("need at least 2 folds, got " + k);
        if (n < k) throw new IllegalArgumentException("cannot split " + n + " pairs into " + k + " folds: need at least one pair per fold");
        return new KFold(n, k);
    }

    public int items() { return n; }

    public int folds() { return k; }

    /** First item of fold {@code f}. */
    public int start(int f) { return starts[f]; }

    /** One past the last item of fold {@code f}. */
    public int end(int f) { return starts[f + 1]; }

    public int size(int f) { return starts[f + 1] - starts[f]; }

    /** The fold that tests item {@code i}. */
    public int foldOf(int i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("item " + i + " of " + n);
        int lo = 0, hi = k - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    @Override
    public String toString() {
        return "KFold[" + n + " items, " + k + " folds]";
    }
}
