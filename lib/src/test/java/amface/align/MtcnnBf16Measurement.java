package amface.align;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import amface.image.ImageReader;
import amface.image.RgbImage;
import amface.nn.layers.Precision;
import amface.testing.TestPaths;

/**
 * Issue 15's MTCNN question, measured (opt-in: {@code -Damface.measure.mtcnnBf16=N} images): MTCNN with its oneDNN
 * chains in bf16 against f32 over N LFW photos (the first of every person, in name order): detection time of each
 * (alternating which runs first) and how far the landmarks of the face the pipeline picks move (mean and largest
 * Euclidean distance over the 5 points). bf16 is adopted only if faster and the mean movement is at most 0.1 px.
 */
class MtcnnBf16Measurement {

    @Test
    void bf16AgainstF32OverLfw() throws Exception {
        int n = Integer.getInteger("amface.measure.mtcnnBf16", 0);
        assumeTrue(n > 0, "opt-in: -Damface.measure.mtcnnBf16=N");
        String why = Precision.bf16Problem();
        assumeTrue(why == null, "bf16 cannot run here: " + why);
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        List<Path> photos = new ArrayList<>();
        try (var people = Files.list(lfw)) {
            for (Path p : people.sorted().toList()) {
                Path first = p.resolve(p.getFileName() + "_0001.jpg");
                if (Files.isRegularFile(first)) photos.add(first);
                if (photos.size() >= n) break;
            }
        }
        int before = OpThreads.set(1);
        String variant = System.getProperty("amface.measure.mtcnnVariant", "bf16"); // or bf16-pnet: P-Net alone in bf16
        MtcnnDetector f32 = detector("fp32"), bf16 = detector(variant);
        try {
            long tF = 0, tB = 0;
            double sum = 0, max = 0;
            int compared = 0, differentPick = 0;
            for (int i = 0; i < photos.size(); i++) {
                RgbImage img = ImageReader.read(photos.get(i));
                long t0 = System.nanoTime();
                List<Face> a = i % 2 == 0 ? f32.detect(img) : null;
                long t1 = System.nanoTime();
                List<Face> b = bf16.detect(img);
                long t2 = System.nanoTime();
                if (a == null) a = f32.detect(img);
                long t3 = System.nanoTime();
                tF += i % 2 == 0 ? t1 - t0 : t3 - t2;
                tB += t2 - t1;
                int pa = FaceSelection.pick(a, img.width(), img.height()), pb = FaceSelection.pick(b, img.width(), img.height());
                if (pa < 0 || pb < 0) {
                    if ((pa < 0) != (pb < 0)) differentPick++;
                    continue;
                }
                Landmarks la = a.get(pa).landmarks(), lb = b.get(pb).landmarks();
                double mean = 0;
                for (int k = 0; k < 5; k++) {
                    double d = Math.hypot(la.x(k) - lb.x(k), la.y(k) - lb.y(k));
                    mean += d / 5;
                    max = Math.max(max, d);
                }
                if (mean > 5) differentPick++; // another face picked: not a rounding movement
                else {
                    sum += mean;
                    compared++;
                }
            }
            System.out.printf(Locale.ROOT, "MTCNN (" + variant + ") over %d LFW photos: f32 %.1f ms/photo, bf16 %.1f ms/photo (%.2fx); landmarks moved %.3f px on average "
                    + "(largest point %.2f px) over %d faces, %d photos with another face or none; load %.2f%n",
                photos.size(), tF / 1e6 / photos.size(), tB / 1e6 / photos.size(), (double) tF / tB, sum / Math.max(1, compared), max, compared,
                differentPick, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            f32.close();
            bf16.close();
            OpThreads.set(before);
            System.clearProperty("amface.mtcnn.precision");
        }
    }

    private static MtcnnDetector detector(String precision) {
        System.setProperty("amface.mtcnn.precision", precision);
        return MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build();
    }
}
