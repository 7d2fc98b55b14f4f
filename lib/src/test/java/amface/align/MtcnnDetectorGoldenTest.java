package amface.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import amface.testing.TestPaths;

/**
 * The whole MTCNN pipeline on the shared photos against the reference pipeline (facenet's detect_face logic in
 * NumPy on the original Caffe networks in OpenCV DNN, {@code reference/align_mtcnn_golden.py}): same faces, boxes
 * and landmarks within 1 pixel, scores within 1e-3.
 */
class MtcnnDetectorGoldenTest {
    private static MtcnnDetector mtcnn;

    private static int opThreadsBefore;

    @BeforeAll
    static void load() {
        opThreadsBefore = OpThreads.set(1);
        mtcnn = MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).minSize(20).factor(0.709).thresholds(0.6, 0.7, 0.7).build();
    }

    @AfterAll
    static void restoreOpThreads() {
        OpThreads.set(opThreadsBefore); // the surefire JVM is shared with other areas' tests
    }

    @Test
    void facesBoxesAndLandmarksMatchTheCaffeReferencePipeline() throws IOException {
        Map<String, List<double[]>> golden = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/golden/align/mtcnn-photos.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList()) {
                String[] f = line.split(",", -1);
                List<double[]> faces = golden.computeIfAbsent(f[0], k -> new ArrayList<>());
                if (f[1].equals("-1")) continue;
                double[] v = new double[15];
                for (int i = 0; i < 15; i++) v[i] = Double.parseDouble(f[2 + i]);
                faces.add(v);
            }
        }
        Path photos = TestPaths.sharedData("photos");
        int faces = 0;
        double worst = 0;
        for (Map.Entry<String, List<double[]>> e : golden.entrySet()) {
            List<Face> ours = mtcnn.detect(TestImages.read(photos.resolve(e.getKey())));
            List<double[]> want = e.getValue();
            assertEquals(want.size(), ours.size(), e.getKey() + ": number of faces");
            for (int i = 0; i < want.size(); i++) {
                double[] w = want.get(i);
                Face f = ours.get(i);
                double[] got = {f.x1(), f.y1(), f.x2(), f.y2()};
                for (int k = 0; k < 4; k++) worst = Math.max(worst, check(e.getKey() + " face " + i + " box[" + k + "]", w[k], got[k]));
                assertEquals(w[4], f.score(), 1e-3, e.getKey() + " face " + i + " score");
                for (int k = 0; k < 5; k++) {
                    worst = Math.max(worst, check(e.getKey() + " face " + i + " landmark x" + k, w[5 + k], f.landmarks().x(k)));
                    worst = Math.max(worst, check(e.getKey() + " face " + i + " landmark y" + k, w[10 + k], f.landmarks().y(k)));
                }
                faces++;
            }
        }
        assertTrue(faces >= 25, "only " + faces + " faces compared");
        System.out.printf("compared %d faces on %d photos, largest difference %.4f px%n", faces, golden.size(), worst);
    }

    private static double check(String what, double want, double got) {
        double d = Math.abs(want - got);
        assertTrue(d <= 1.0, what + ": reference " + want + ", ours " + got);
        return d;
    }
}
