package amface.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import amface.testing.TestPaths;

/** The real LFW protocol files in ../shared/data/lfw. */
class LfwFilesTest {

    @Test
    void view2PairsHaveTenDisjointFoldsOf300Plus300() throws IOException {
        LfwPairs pairs = LfwPairs.read(TestPaths.sharedData("lfw/pairs.txt"));
        assertEquals(10, pairs.foldCount());
        assertEquals(6000, pairs.pairs().size());
        for (int k = 0; k < 10; k++) {
            List<LfwPairs.Pair> fold = pairs.fold(k);
            assertEquals(300, fold.stream().filter(LfwPairs.Pair::same).count(), "fold " + k);
            assertEquals(300, fold.stream().filter(p -> !p.same()).count(), "fold " + k);
            for (int j = 0; j < k; j++) {
                Set<String> shared = new HashSet<>(pairs.identities(k));
                shared.retainAll(pairs.identities(j));
                assertTrue(shared.isEmpty(), "folds " + j + " and " + k + " share " + shared);
            }
        }
        assertEquals(new LfwPairs.Pair("Abel_Pacheco/Abel_Pacheco_0001.jpg", "Abel_Pacheco/Abel_Pacheco_0004.jpg", true, 2), pairs.fold(0).get(0));
    }

    @Test
    void everyPairResolvesToADeepFunneledImage() throws IOException {
        LfwPairs pairs = LfwPairs.read(TestPaths.sharedData("lfw/pairs.txt"));
        List<LfwPairs.ResolvedPair> resolved = pairs.resolve(TestPaths.sharedData("lfw/lfw-deepfunneled"), "jpg");
        assertEquals(6000, resolved.size());
    }

    @Test
    void view1FilesParse() throws IOException {
        LfwPairs train = LfwPairs.read(TestPaths.sharedData("lfw/pairsDevTrain.txt"));
        LfwPairs test = LfwPairs.read(TestPaths.sharedData("lfw/pairsDevTest.txt"));
        assertEquals(1, train.foldCount());
        assertEquals(2200, train.pairs().size());
        assertEquals(1000, test.pairs().size());
        assertEquals(1100, train.pairs().stream().filter(LfwPairs.Pair::same).count());
        Set<String> overlap = new HashSet<>(train.identities());
        overlap.retainAll(test.identities());
        assertTrue(overlap.isEmpty(), "View 1 train and test share " + overlap);
        assertTrue(test.missing(TestPaths.sharedData("lfw/lfw-deepfunneled"), "jpg").isEmpty());
    }

    @Test
    void peopleFilesParseAndAgreeWithTheImages() throws IOException {
        LfwPeople people = LfwPeople.read(TestPaths.sharedData("lfw/people.txt"));
        assertEquals(10, people.sets().size());
        assertEquals(601, people.sets().get(0).size());
        assertEquals(5749, people.people().size());
        assertEquals(13233, people.imageCount());
        LfwPeople devTrain = LfwPeople.read(TestPaths.sharedData("lfw/peopleDevTrain.txt"));
        assertEquals(1, devTrain.sets().size());
        assertEquals(4038, devTrain.people().size());
        assertEquals(new LfwPeople.Person("AJ_Cook", 1, 2), devTrain.people().get(0));
    }

    @Test
    void foldOutSplitKeepsTestPeopleOutOfTraining() throws IOException {
        LfwPairs pairs = LfwPairs.read(TestPaths.sharedData("lfw/pairs.txt"));
        Path images = TestPaths.sharedData("lfw/lfw-deepfunneled");
        IdentityDataset lfw = IdentityDataset.scan(images);
        assertEquals(5749, lfw.identityCount());
        assertEquals(13233, lfw.size());
        for (int k : new int[] {0, 9}) {
            FoldOutSplit split = FoldOutSplit.of(pairs, lfw, k);
            assertEquals(600, split.testPairs().size());
            Set<String> test = pairs.identities(k);
            assertEquals(lfw.identityCount() - test.size(), split.trainingIdentities().size());
            IdentityDataset train = split.trainingSet(lfw);
            assertTrue(train.entries().stream().noneMatch(e -> test.contains(e.identity())));
            // identities of the other folds are training identities
            assertTrue(split.trainingIdentities().containsAll(pairs.identities((k + 1) % 10)));
        }
    }
}
