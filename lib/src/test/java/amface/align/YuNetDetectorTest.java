package amface.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import amface.image.RgbImage;
import amface.testing.TestPaths;

/** YuNet through the same interface finds the faces MTCNN finds, with landmarks close to MTCNN's. */
class YuNetDetectorTest {

    @Test
    void findsTheSameMainFacesAsMtcnn() {
        int before = OpThreads.set(1);
        try {
            compareWithMtcnn();
        } finally {
            OpThreads.set(before);
        }
    }

    private static void compareWithMtcnn() {
        FaceDetector yunet = new YuNetDetector(TestPaths.sharedData("yunet/yunet_yunet_final_320_320_simplify.onnx"), 0.9);
        FaceDetector mtcnn = MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build();
        assertEquals("yunet", yunet.name());
        int compared = 0;
        for (String p : new String[] {"photos/deepface/img5.jpg", "photos/deepface/img12.jpg", "photos/deepface/img25.jpg",
            "lfw/lfw-deepfunneled/Aaron_Eckhart/Aaron_Eckhart_0001.jpg", "orl/att_faces/s1/1.pgm"}) {
            RgbImage img = p.endsWith(".pgm") ? grey(p) : TestImages.read(TestPaths.sharedData(p));
            List<Face> y = yunet.detect(img);
            List<Face> m = mtcnn.detect(img);
            if (p.endsWith(".pgm")) continue; // only needs to run on grey input
            assertFalse(y.isEmpty(), p + ": YuNet found no face");
            Face fy = y.get(FaceSelection.pick(y, img.width(), img.height()));
            Face fm = m.get(FaceSelection.pick(m, img.width(), img.height()));
            double iou = iou(fy, fm);
            assertTrue(iou > 0.5, p + ": YuNet and MTCNN boxes overlap only " + iou);
            double size = fm.width();
            for (int k = 0; k < 5; k++) {
                double d = Math.hypot(fy.landmarks().x(k) - fm.landmarks().x(k), fy.landmarks().y(k) - fm.landmarks().y(k));
                assertTrue(d < 0.1 * size, p + ": landmark " + k + " is " + d + " px from MTCNN's (face " + size + " px)");
            }
            compared++;
        }
        assertEquals(4, compared);
    }

    private static RgbImage grey(String p) {
        return TestImages.read(TestPaths.sharedData(p));
    }

    private static double iou(Face a, Face b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = w * h;
        return inter / (a.width() * a.height() + b.width() * b.height() - inter);
    }
}
