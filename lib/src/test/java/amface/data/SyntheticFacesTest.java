package amface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.image.ImageReader;
import amface.image.ImageTransforms;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.testing.TestPaths;

class SyntheticFacesTest {
    /** The 96x112 alignment template: left eye, right eye, nose, left and right mouth corner. */
    static final double[][] TEMPLATE = {
        {30.2946, 51.6963}, {65.5318, 51.5014}, {48.0252, 71.7366}, {33.5493, 92.3655}, {62.7299, 92.2041}};

    @Test
    void sameSeedSameBytesDifferentSeedDifferentImages() {
        SyntheticFaces a = SyntheticFaces.builder().seed(11).difficulty(0.5).build();
        SyntheticFaces b = SyntheticFaces.builder().seed(11).difficulty(0.5).build();
        SyntheticFaces c = SyntheticFaces.builder().seed(12).difficulty(0.5).build();
        for (int i = 0; i < 5; i++) {
            RgbImage x = a.render(i, i + 1);
            assertEquals(96, x.width());
            assertEquals(112, x.height());
            assertArrayEquals(x.rgb(), b.render(i, i + 1).rgb());
            assertArrayEquals(ImageWriter.encode(x, "png"), ImageWriter.encode(b.render(i, i + 1), "png"));
            assertFalse(Arrays.equals(x.rgb(), c.render(i, i + 1).rgb()));
            assertFalse(Arrays.equals(x.rgb(), a.render(i, i + 2).rgb()));
        }
    }

    @Test
    void imagesDoNotDependOnThreadsOrOrder() {
        SyntheticFaces faces = SyntheticFaces.builder().seed(5).difficulty(0.8).build();
        List<byte[]> sequential = new ArrayList<>();
        for (int k = 0; k < 24; k++) sequential.add(faces.render(k / 4, k % 4).rgb());
        List<byte[]> parallel = IntStream.range(0, 24).parallel().map(k -> 23 - k).boxed()
            .sorted().map(k -> faces.render(k / 4, k % 4).rgb()).toList();
        byte[][] reversed = new byte[24][];
        IntStream.range(0, 24).parallel().forEach(k -> reversed[23 - k] = faces.render((23 - k) / 4, (23 - k) % 4).rgb());
        for (int k = 0; k < 24; k++) {
            assertArrayEquals(sequential.get(k), parallel.get(k));
            assertArrayEquals(sequential.get(k), reversed[k]);
        }
    }

    @Test
    void landmarksSitOnTheTemplate() {
        for (double d : new double[] {0, 0.5, 1}) {
            SyntheticFaces faces = SyntheticFaces.builder().seed(2).difficulty(d).build();
            double[] meanError = new double[5];
            int n = 200;
            for (int k = 0; k < n; k++) {
                double[][] lm = faces.landmarks(k / 5, k % 5);
                for (int p = 0; p < 5; p++) meanError[p] += Math.hypot(lm[p][0] - TEMPLATE[p][0], lm[p][1] - TEMPLATE[p][1]) / n;
            }
            System.out.printf("difficulty %.1f: mean landmark distance from the template (px) %s%n", d, Arrays.toString(meanError));
            for (int p = 0; p < 5; p++) assertTrue(meanError[p] < 3.5 + 4 * d, "landmark " + p + " at difficulty " + d + ": " + meanError[p]);
        }
        // 112x112 shifts the template 8 pixels right, as the reference alignment does
        double[][] wide = SyntheticFaces.builder().seed(2).difficulty(0).size(112, 112).build().landmarks(3, 1);
        double[][] narrow = SyntheticFaces.builder().seed(2).difficulty(0).build().landmarks(3, 1);
        for (int p = 0; p < 5; p++) {
            assertEquals(narrow[p][0] + 8, wide[p][0], 1e-9);
            assertEquals(narrow[p][1], wide[p][1], 1e-9);
        }
    }

    @Test
    void eyesAreDarkerThanTheForehead() {
        // the drawn eyes (iris, pupil, lid line) are where the landmarks say
        SyntheticFaces faces = SyntheticFaces.builder().seed(9).difficulty(0).build();
        int darker = 0;
        for (int k = 0; k < 40; k++) {
            RgbImage img = faces.render(k, 0);
            double[][] lm = faces.landmarks(k, 0);
            double eye = (grey(img, lm[0][0], lm[0][1]) + grey(img, lm[1][0], lm[1][1])) / 2;
            double cheek = grey(img, lm[2][0] - 14, lm[2][1] - 4);
            if (eye < cheek - 20) darker++;
        }
        assertTrue(darker >= 36, "pupils darker than the cheek in " + darker + " of 40");
    }

    private static double grey(RgbImage img, double x, double y) {
        int xi = (int) Math.round(x);
        int yi = (int) Math.round(y);
        return (img.get(xi, yi, 0) + img.get(xi, yi, 1) + img.get(xi, yi, 2)) / 3.0;
    }

    @Test
    void rendersThousandsOfImagesASecond() {
        SyntheticFaces faces = SyntheticFaces.builder().seed(1).difficulty(0.5).build();
        for (int k = 0; k < 300; k++) faces.render(k, 0); // warm up
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 600;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) faces.render(k / 10, k % 10);
        double perCpuSecond = n / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        double oneThread = n / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        IntStream.range(0, n).parallel().forEach(k -> faces.render(600 + k / 10, k % 10));
        double allCores = n / ((System.nanoTime() - t0) / 1e9);
        // CPU time, unlike wall time, does not count the time other processes on a shared machine take
        System.out.printf("SyntheticFaces.render 96x112: %.0f images per CPU-second; wall clock %.0f images/s on one thread, %.0f on %d cores"
            + " (shared machine: wall figures are noisy)%n", perCpuSecond, oneThread, allCores, Runtime.getRuntime().availableProcessors());
        assertTrue(perCpuSecond > 700, "only " + perCpuSecond + " images per CPU-second");
    }

    @Test
    void writesAnIdentityDatasetWithLfwPairs(@TempDir Path root) throws IOException {
        SyntheticFaces faces = SyntheticFaces.builder().seed(4).difficulty(0.3).build();
        SyntheticFaces.Written w = faces.writeDataset(root, 12, 4, 20, 200, Progress.NONE);
        assertTrue(w.foldsDisjoint());
        IdentityDataset train = IdentityDataset.scan(w.train()).validate(Progress.NONE);
        assertEquals(12, train.identityCount());
        assertEquals(48, train.size());
        assertEquals("id00000/id00000_0001.png", train.get(0).path());
        IdentityDataset held = IdentityDataset.scan(w.heldOut());
        assertEquals(20, held.identityCount());
        assertEquals("id00012", held.identities().get(0));
        Set<String> overlap = new HashSet<>(train.identities());
        overlap.retainAll(held.identities());
        assertTrue(overlap.isEmpty());
        assertArrayEquals(faces.render(13, 2).rgb(), ImageReader.read(w.heldOut().resolve("id00013/id00013_0003.png")).rgb());

        LfwPairs pairs = LfwPairs.read(w.pairs());
        assertEquals(10, pairs.foldCount());
        assertEquals(200, pairs.pairs().size());
        assertEquals(200, new HashSet<>(pairs.pairs().stream().map(p -> p.left() + " " + p.right()).toList()).size(), "no pair twice");
        for (int k = 0; k < 10; k++) {
            assertEquals(10, pairs.fold(k).stream().filter(LfwPairs.Pair::same).count());
            for (int j = 0; j < k; j++) {
                Set<String> shared = new HashSet<>(pairs.identities(k));
                shared.retainAll(pairs.identities(j));
                assertTrue(shared.isEmpty(), "folds " + j + " and " + k + " share " + shared);
            }
        }
        assertEquals(400, pairs.resolve(w.heldOut(), "png").size() * 2);

        // rerunning completes a partial folder and keeps what is there; other settings are refused
        Path one = w.train().resolve("id00005/id00005_0002.png");
        Files.delete(one);
        long before = Files.getLastModifiedTime(w.train().resolve("id00000/id00000_0001.png")).toMillis();
        faces.writeDataset(root, 12, 4, 20, 200, Progress.NONE);
        assertTrue(Files.exists(one));
        assertEquals(before, Files.getLastModifiedTime(w.train().resolve("id00000/id00000_0001.png")).toMillis());
        DatasetException e = assertThrows(DatasetException.class, () -> faces.writeDataset(root, 13, 4, 20, 200, Progress.NONE));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void refusesImpossibleRequests(@TempDir Path root) throws IOException {
        SyntheticFaces faces = SyntheticFaces.builder().build();
        assertThrows(IllegalArgumentException.class, () -> faces.writeDataset(root.resolve("a"), 5, 1, 20, 200, Progress.NONE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> faces.writeDataset(root.resolve("b"), 5, 2, 20, 2000, Progress.NONE));
        assertTrue(e.getMessage().contains("allow only 2 same-person pairs"), e.getMessage());
        Files.writeString(root.resolve("c.txt"), "x");
        assertThrows(DatasetException.class, () -> faces.writeDataset(root, 5, 2, 0, 0, Progress.NONE));
        assertThrows(IllegalArgumentException.class, () -> SyntheticFaces.builder().difficulty(1.5));
    }

    @Test
    void fewHeldOutPeopleShareThemAcrossFolds(@TempDir Path root) throws IOException {
        SyntheticFaces.Written w = SyntheticFaces.builder().seed(1).build().writeDataset(root, 2, 4, 5, 100, Progress.NONE);
        assertFalse(w.foldsDisjoint());
        assertEquals(100, LfwPairs.read(w.pairs()).pairs().size());
    }

    /**
     * Raw pixels are a weak face matcher; it must get worse as the difficulty rises, and a learned embedding has
     * to beat it. Accuracy of the best threshold on cosine similarity of small grey face crops.
     */
    @Test
    void difficultyMakesRawPixelMatchingHarder() {
        double[] acc = new double[3];
        double[] ds = {0, 0.5, 1};
        for (int i = 0; i < 3; i++) {
            acc[i] = rawPixelAccuracy(SyntheticFaces.builder().seed(21).difficulty(ds[i]).build(), 60, 4, 400);
        }
        System.out.printf("raw-pixel verification accuracy at difficulty 0 / 0.5 / 1: %.3f / %.3f / %.3f%n", acc[0], acc[1], acc[2]);
        assertTrue(acc[0] > acc[1] && acc[1] > acc[2], Arrays.toString(acc));
        assertTrue(acc[2] > 0.45, Arrays.toString(acc));
    }

    static double rawPixelAccuracy(SyntheticFaces faces, int people, int photos, int pairsPerKind) {
        float[][][] f = new float[people][photos][];
        for (int p = 0; p < people; p++) {
            for (int q = 0; q < photos; q++) f[p][q] = features(faces.render(p, q));
        }
        SplittableRandom r = new SplittableRandom(3);
        List<double[]> scored = new ArrayList<>(); // {similarity, same}
        for (int k = 0; k < pairsPerKind; k++) {
            int p = r.nextInt(people);
            int a = r.nextInt(photos);
            int b = (a + 1 + r.nextInt(photos - 1)) % photos;
            scored.add(new double[] {cosine(f[p][a], f[p][b]), 1});
            int p2 = (p + 1 + r.nextInt(people - 1)) % people;
            scored.add(new double[] {cosine(f[p][a], f[p2][r.nextInt(photos)]), 0});
        }
        scored.sort((x, y) -> Double.compare(y[0], x[0]));
        // best accuracy over thresholds: predict "same" for the top t
        int sameAbove = 0;
        int best = pairsPerKind; // everything "different"
        for (int t = 0; t < scored.size(); t++) {
            if (scored.get(t)[1] == 1) sameAbove++;
            int correct = sameAbove + (pairsPerKind - (t + 1 - sameAbove));
            best = Math.max(best, correct);
        }
        return best / (2.0 * pairsPerKind);
    }

    private static float[] features(RgbImage img) {
        RgbImage face = ImageTransforms.resize(ImageTransforms.crop(img, 16, 30, 64, 76), 16, 19);
        float[] v = new float[16 * 19];
        double mean = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (face.rgb()[3 * i] & 0xff) + (face.rgb()[3 * i + 1] & 0xff) + (face.rgb()[3 * i + 2] & 0xff);
            mean += v[i] / v.length;
        }
        for (int i = 0; i < v.length; i++) v[i] -= (float) mean;
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-12);
    }

    @Test
    void contactSheetsForPeopleToLookAt() throws IOException {
        Path dir = TestPaths.buildDir("synthetic-faces");
        for (double d : new double[] {0, 0.5, 1}) {
            Path out = dir.resolve("difficulty-" + d + ".png");
            ImageWriter.write(SyntheticFacesSheet.sheet(SyntheticFaces.builder().seed(3).difficulty(d).build(), 6, 8), out);
            assertNotNull(ImageReader.read(out));
        }
    }
}
