package amface.identification;

import java.io.IOException;

/**
 * Distractor embeddings delivered in blocks, so that a million of them never sit in memory at once: feature
 * files read a block at a time ({@link MegaFaceLists}), synthetic faces painted and embedded a batch at a time,
 * or an array in tests ({@link #of(float[][])}).
 */
public interface DistractorSource {
    /** The next at most {@code max} distractors (L2-normalised rows), an empty array when there are no more. */
    float[][] next(int max) throws IOException;

    /** The rows of {@code all}, in order. */
    static DistractorSource of(float[][] all) {
        return new DistractorSource() {
            private int at;

            @Override
            public float[][] next(int max) {
                int to = Math.min(all.length, at + max);
                float[][] block = java.util.Arrays.copyOfRange(all, at, to);
                at = to;
                return block;
            }
        };
    }

    /** This source then {@code more}. */
    default DistractorSource then(DistractorSource more) {
        DistractorSource first = this;
        return new DistractorSource() {
            private boolean firstDone;

            @Override
            public float[][] next(int max) throws IOException {
                if (!firstDone) {
                    float[][] b = first.next(max);
                    if (b.length > 0) return b;
                    firstDone = true;
                }
                return more.next(max);
            }
        };
    }
}
