package amface.identification;

import java.util.Arrays;

/**
 * The {@code capacity} largest of a stream of scores (a bounded min-heap of doubles), for everything that must
 * not keep a whole score matrix: a probe's best non-mate scores, the impostor tail that sets a threshold at a low
 * FAR. Keeps ties: of equal scores beyond the capacity any one may be dropped, which changes no order statistic.
 */
public final class TopScores {
    private final double[] heap;
    private int size;
    private long offered;

    public TopScores(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must be at least 0, got " + capacity);
        heap = new double[capacity];
    }

    public int capacity() { return heap.length; }

    /** Scores kept (at most the capacity). */
    public int size() { return size; }

    /** Scores offered so far. */
    public long offered() { return offered; }

    /** The smallest score kept, or -infinity while fewer than capacity are kept (anything offered would be kept). */
    public double floor() { return size < heap.length ? Double.NEGATIVE_INFINITY : heap[0]; }

    public void offer(double score) {
        offered++;
        if (heap.length == 0) return;
        if (size < heap.length) {
            int i = size++;
            heap[i] = score;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= heap[i]) break;
                swap(i, parent);
                i = parent;
            }
        } else if (score > heap[0]) {
            heap[0] = score;
            int i = 0;
            while (true) {
                int l = 2 * i + 1, r = l + 1, m = i;
                if (l < size && heap[l] < heap[m]) m = l;
                if (r < size && heap[r] < heap[m]) m = r;
                if (m == i) break;
                swap(i, m);
                i = m;
            }
        }
    }

    private void swap(int a, int b) {
        double t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }

    /** The kept scores, largest first. */
    public double[] descending() {
        double[] s = Arrays.copyOf(heap, size);
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** How many kept scores are at least {@code score} (exact for the stream while it is below the capacity). */
    public int countAtLeast(double score) {
        int n = 0;
        for (int i = 0; i < size; i++) if (heap[i] >= score) n++;
        return n;
    }

    /** The largest kept score, or -infinity when none. */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) m = Math.max(m, heap[i]);
        return m;
    }
}
