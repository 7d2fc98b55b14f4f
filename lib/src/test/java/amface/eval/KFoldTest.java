package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KFoldTest {

    @Test
    void lfwFoldsAreContiguousBlocksOf600() {
        KFold k = KFold.of(6000, 10);
        for (int f = 0; f < 10; f++) {
            assertEquals(f * 600, k.start(f));
            assertEquals(f * 600 + 600, k.end(f));
        }
        assertEquals(3, k.foldOf(1800));
        assertEquals(2, k.foldOf(1799));
        assertEquals(9, k.foldOf(5999));
    }

    @Test
    void unevenCountsGiveTheEarlierFoldsOneMore() {
        // scikit-learn: KFold(10).split(range(1003)) -> sizes 101, 101, 101, 100 x 7.
        KFold k = KFold.of(1003, 10);
        int[] expected = {101, 101, 101, 100, 100, 100, 100, 100, 100, 100};
        int covered = 0;
        for (int f = 0; f < 10; f++) {
            assertEquals(expected[f], k.size(f), "fold " + f);
            assertEquals(covered, k.start(f));
            for (int i = k.start(f); i < k.end(f); i++) assertEquals(f, k.foldOf(i));
            covered = k.end(f);
        }
        assertEquals(1003, covered);
    }

    @Test
    void tooFewItemsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KFold.of(9, 10));
        assertTrue(e.getMessage().contains("9 pairs into 10 folds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KFold.of(10, 1));
    }
}
