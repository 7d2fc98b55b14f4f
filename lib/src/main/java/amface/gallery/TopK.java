package amface.gallery;

/**
 * The {@code k} largest scores seen, with their rows: a min-heap, so that the common case (a score below the
 * k-th best) costs one comparison. Ties keep the lower row (the one offered first when rows come in order).
 */
final class TopK {
    private final int k;
    private final float[] scores;
    private final int[] rows;
    private int size;

    TopK(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        this.k = k;
        this.scores = new float[k];
        this.rows = new int[k];
    }

    /** The score a new one must beat once k are held. */
    float threshold() { return size < k ? Float.NEGATIVE_INFINITY : scores[0]; }

    void offer(float score, int row) {
        if (size < k) {
            scores[size] = score;
            rows[size] = row;
            siftUp(size++);
        } else if (score > scores[0]) {
            scores[0] = score;
            rows[0] = row;
            siftDown(0);
        }
    }

    /** Offers {@code count} scores from {@code s[from..]}, for rows {@code firstRow...}. */
    void offerAll(float[] s, int from, int count, int firstRow) {
        float t = threshold();
        for (int j = 0; j < count; j++) {
            float v = s[from + j];
            if (v > t) {
                offer(v, firstRow + j);
                t = threshold();
            }
        }
    }

    /** The rows held, best first (ties: lower row first), and their scores into {@code scoresOut}. */
    int[] sortedRows(float[] scoresOut) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(rows[a], rows[b]));
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = rows[order[i]];
            scoresOut[i] = scores[order[i]];
        }
        return out;
    }

    int size() { return size; }

    /** Heap order: smaller score first; among equal scores the larger row is evicted first. */
    private boolean less(int a, int b) {
        return scores[a] < scores[b] || scores[a] == scores[b] && rows[a] > rows[b];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!less(i, p)) return;
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < size && less(l, m)) m = l;
            if (r < size && less(r, m)) m = r;
            if (m == i) return;
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a]; scores[a] = scores[b]; scores[b] = s;
        int r = rows[a]; rows[a] = rows[b]; rows[b] = r;
    }
}
