package amface.identification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.LfwPeople;
import amface.testing.TestPaths;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/** The BLUFR configuration reader on a .mat written with MFL in the official layout, and the generated trials' sizes. */
class BlufrTrialsTest {

    @Test
    void readsTheOfficialLayout(@TempDir Path dir) throws IOException {
        List<String> images = List.of("A_0001.jpg", "A_0002.jpg", "B_0001.jpg", "C_0001.jpg", "C_0002.jpg", "C_0003.jpg");
        int[] labels = {1, 1, 2, 3, 3, 3};
        int[][] test = {{1, 2, 3, 4, 5, 6}, {1, 2, 4, 5}}, gal = {{1, 4}, {2}}, prob = {{2, 3, 5, 6}, {1, 4, 5}};
        MatFile mat = Mat5.newMatFile();
        Cell list = Mat5.newCell(images.size(), 1);
        for (int i = 0; i < images.size(); i++) list.set(i, Mat5.newString(images.get(i)));
        mat.addArray("imageList", list);
        mat.addArray("labels", column(labels));
        mat.addArray("testIndex", cells(test));
        mat.addArray("galIndex", cells(gal));
        mat.addArray("probIndex", cells(prob));
        mat.addArray("trainIndex", cells(new int[][] {{1}, {3}})); // present in the official file, not needed here
        Path file = dir.resolve("blufr_lfw_config.mat");
        Mat5.writeToFile(mat, file.toFile());

        BlufrTrials t = BlufrTrials.read(file);
        assertEquals(images, t.images());
        assertArrayEquals(labels, t.labels());
        assertEquals(2, t.trials().size());
        assertArrayEquals(new int[] {0, 1, 3, 4}, t.trials().get(1).test()); // 1-based in the file, 0-based here
        assertArrayEquals(new int[] {1}, t.trials().get(1).gallery());
        assertArrayEquals(new int[] {0, 3, 4}, t.trials().get(1).probes());

        MatFile partial = Mat5.newMatFile();
        partial.addArray("imageList", list);
        partial.addArray("labels", column(labels));
        Path missing = dir.resolve("partial.mat");
        Mat5.writeToFile(partial, missing.toFile());
        IOException e = assertThrows(IOException.class, () -> BlufrTrials.read(missing));
        assertTrue(e.getMessage().contains("testIndex"), e.getMessage());

        Path garbage = dir.resolve("garbage.mat");
        Files.writeString(garbage, "not a mat file at all, just some text that is long enough to have a header ".repeat(3));
        assertThrows(IOException.class, () -> BlufrTrials.read(garbage));

        MatFile outOfRange = Mat5.newMatFile();
        outOfRange.addArray("imageList", list).addArray("labels", column(labels)).addArray("testIndex", cells(new int[][] {{7}}))
            .addArray("galIndex", cells(new int[][] {{1}})).addArray("probIndex", cells(new int[][] {{2}}));
        Path bad = dir.resolve("bad.mat");
        Mat5.writeToFile(outOfRange, bad.toFile());
        IOException range = assertThrows(IOException.class, () -> BlufrTrials.read(bad));
        assertTrue(range.getMessage().contains("7"), range.getMessage());
    }

    private static Matrix column(int[] v) {
        Matrix m = Mat5.newMatrix(v.length, 1);
        for (int i = 0; i < v.length; i++) m.setDouble(i, v[i]);
        return m;
    }

    private static Cell cells(int[][] v) {
        Cell c = Mat5.newCell(v.length, 1);
        for (int i = 0; i < v.length; i++) c.set(i, column(v[i]));
        return c;
    }

    /** Our generated trials against the paper's per-trial figures (4,249 test people, ~9,708 images, ~156,915 genuine pairs). */
    @Test
    void generatedLfwTrialsHaveThePapersSizes() throws Exception {
        Path peopleFile = TestPaths.sharedData("lfw/people.txt");
        Map<String, List<String>> people = new LinkedHashMap<>();
        for (LfwPeople.Person p : LfwPeople.read(peopleFile).people()) {
            List<String> imgs = new ArrayList<>();
            for (int i = 1; i <= p.images(); i++) imgs.add(String.format(Locale.ROOT, "%s/%s_%04d.jpg", p.name(), p.name(), i));
            people.put(p.name(), imgs);
        }
        assertEquals(5749, people.size());
        BlufrTrials t = BlufrTrials.generate(people, 1);
        assertEquals(10, t.trials().size());
        double images = 0, genuine = 0;
        for (BlufrTrials.Trial trial : t.trials()) {
            Set<Integer> testPeople = new HashSet<>(), galleryPeople = new HashSet<>();
            for (int i : trial.test()) testPeople.add(t.label(i));
            for (int i : trial.gallery()) galleryPeople.add(t.label(i));
            assertEquals(4249, testPeople.size());
            assertEquals(1000, trial.gallery().length);
            assertEquals(1000, galleryPeople.size());
            assertEquals(trial.test().length, trial.gallery().length + trial.probes().length);
            images += trial.test().length;
            Map<Integer, Integer> count = new LinkedHashMap<>();
            for (int i : trial.test()) count.merge(t.label(i), 1, Integer::sum);
            for (int c : count.values()) genuine += c * (c - 1) / 2.0;
        }
        images /= 10;
        genuine /= 10;
        System.out.printf(Locale.ROOT, "generated BLUFR-style trials: %.0f test images, %.0f genuine pairs per trial on average%n", images, genuine);
        assertEquals(9708, images, 9708 * 0.05);
        // Genuine pairs depend on whether George_W_Bush (530 images, 140k pairs alone) is a test person: wide bounds.
        assertTrue(genuine > 0.5 * 156915 && genuine < 1.5 * 156915, "genuine pairs " + genuine);
        // Seeded: the same seed gives the same trials.
        assertArrayEquals(t.trials().get(3).gallery(), BlufrTrials.generate(people, 1).trials().get(3).gallery());
    }
}
