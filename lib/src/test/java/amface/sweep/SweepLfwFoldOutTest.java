package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.DatasetException;
import amface.data.LfwPairs;
import amface.data.Progress;

/** Protocol (b) on a hand-made LFW tree: which identities fold k trains on, and which pairs it tests. */
class SweepLfwFoldOutTest {

    /** Images per identity of the fake tree. */
    static final Map<String, Integer> IMAGES = Map.ofEntries(Map.entry("Ann", 3), Map.entry("Bob", 2), Map.entry("Cy", 1), Map.entry("Dee", 4),
        Map.entry("Eve", 2), Map.entry("Fay", 3), Map.entry("Gil", 1), Map.entry("Hal", 2), Map.entry("Ida", 5), Map.entry("Jo", 1), Map.entry("Kim", 3));

    /**
     * {@code root/Name/Name_000i.jpg} for {@link #IMAGES} and {@code root/pairs.txt}: fold 1 names Ann, Bob, Cy, Dee;
     * fold 2 names Eve, Fay, Gil, Hal; Ida, Jo and Kim are in no pair. Files are placeholders (nothing here decodes them).
     */
    static Path fakeLfw(Path root) throws IOException {
        for (Map.Entry<String, Integer> e : IMAGES.entrySet()) {
            for (int i = 1; i <= e.getValue(); i++) {
                Path f = root.resolve(LfwPairs.imagePath(e.getKey(), i, "jpg"));
                Files.createDirectories(f.getParent());
                Files.writeString(f, "placeholder");
            }
        }
        Files.writeString(root.resolve("pairs.txt"), String.join("\n", "2\t2",
            "Ann\t1\t2", "Bob\t1\t2", "Ann\t1\tCy\t1", "Bob\t2\tDee\t1",
            "Eve\t1\t2", "Fay\t1\t3", "Eve\t1\tGil\t1", "Fay\t1\tHal\t1", ""));
        return root;
    }

    private static SweepLfwFoldOut protocol(Path lfw, int minImages) throws DatasetException {
        return new SweepLfwFoldOut(SweepConfig.builder().protocol("lfw-foldout").cells("am:0.35").data(lfw).pairs(lfw.resolve("pairs.txt"))
            .minImages(minImages).build());
    }

    @Test
    void foldKTrainsOnIdentitiesOutsideItsPairsWithEnoughImages(@TempDir Path tmp) throws Exception {
        Path lfw = fakeLfw(tmp.resolve("lfw"));
        SweepLfwFoldOut two = protocol(lfw, 2);
        assertEquals(List.of(1, 2), two.folds());

        SweepProtocol.Data fold1 = two.data(1, Progress.NONE);
        assertEquals(List.of("Eve", "Fay", "Hal", "Ida", "Kim"), fold1.train().identities());
        assertEquals(2 + 3 + 2 + 5 + 3, fold1.train().size());
        assertEquals(4, fold1.test().size());
        Set<String> tested = new TreeSet<>();
        for (LfwPairs.Pair p : fold1.test().pairs().pairs()) {
            tested.add(p.leftIdentity());
            tested.add(p.rightIdentity());
        }
        assertEquals(Set.of("Ann", "Bob", "Cy", "Dee"), tested, "fold 1 tests on its own pairs only");
        for (String id : fold1.train().identities()) assertTrue(!tested.contains(id), id + " is both trained on and tested");
        // same and different pairs alternate, so each of the evaluator's contiguous folds holds both kinds
        assertEquals(List.of(true, false, true, false), fold1.test().pairs().pairs().stream().map(LfwPairs.Pair::same).toList());

        SweepProtocol.Data fold2 = two.data(2, Progress.NONE);
        assertEquals(List.of("Ann", "Bob", "Dee", "Ida", "Kim"), fold2.train().identities(), "Jo and Cy have one image; Eve..Hal are fold 2's");

        SweepLfwFoldOut three = protocol(lfw, 3);
        assertEquals(List.of("Fay", "Ida", "Kim"), three.data(1, Progress.NONE).train().identities());
        assertEquals(List.of("Ann", "Dee", "Ida", "Kim"), three.data(2, Progress.NONE).train().identities());
        assertTrue(three.dataIdentity(1).contains("minImages=3") && three.dataIdentity(1).contains("fold=1"), three.dataIdentity(1));
    }

    @Test
    void tooFewIdentitiesAndUnknownFoldsAreClearErrors(@TempDir Path tmp) throws Exception {
        Path lfw = fakeLfw(tmp.resolve("lfw"));
        DatasetException few = assertThrows(DatasetException.class, () -> protocol(lfw, 5).data(1, Progress.NONE));
        assertTrue(few.getMessage().contains("fold 1") && few.getMessage().contains("sweep.minImages"), few.getMessage());
        IllegalArgumentException fold = assertThrows(IllegalArgumentException.class, () -> new SweepLfwFoldOut(SweepConfig.builder().protocol("lfw-foldout")
            .cells("am:0.35").data(lfw).pairs(lfw.resolve("pairs.txt")).folds(3).build()));
        assertTrue(fold.getMessage().contains("fold 3") && fold.getMessage().contains("has 2"), fold.getMessage());
    }

    @Test
    void missingTestImagesAreListed(@TempDir Path tmp) throws Exception {
        Path lfw = fakeLfw(tmp.resolve("lfw"));
        Files.delete(lfw.resolve("Dee/Dee_0001.jpg"));
        DatasetException e = assertThrows(DatasetException.class, () -> protocol(lfw, 2).data(1, Progress.NONE));
        assertTrue(e.getMessage().contains("Dee/Dee_0001.jpg"), e.getMessage());
    }
}
