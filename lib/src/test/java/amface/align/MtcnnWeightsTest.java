package amface.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import amface.testing.TestPaths;

/** The safe loader reads facenet's weights exactly as numpy does (golden from reference/align_weights_golden.py). */
class MtcnnWeightsTest {

    @Test
    void everyArrayMatchesNumpy() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("/golden/align/mtcnn-weights.csv")) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        MtcnnWeights[] files = new MtcnnWeights[4];
        for (int n = 1; n <= 3; n++) files[n] = MtcnnWeights.load(TestPaths.sharedData("mtcnn/det" + n + ".npy"));
        Set<String> seen = new HashSet<>();
        for (String row : rows) {
            String[] f = row.split(",");
            String[] key = f[0].split("/");
            MtcnnWeights w = files[key[0].charAt(3) - '0'];
            long[] shape = Arrays.stream(f[1].split("x")).mapToLong(Long::parseLong).toArray();
            float[] v = w.get(key[1], key[2], shape);
            double sum = 0;
            for (float x : v) sum += x;
            assertEquals(Double.parseDouble(f[2]), sum, 1e-9 * Math.max(1, Math.abs(sum)), f[0] + " sum");
            int n = v.length;
            double[] ends = new double[6];
            int[] at = {0, 1, 2, n - 3, n - 2, n - 1};
            for (int i = 0; i < 6; i++) ends[i] = v[Math.floorMod(at[i], n)];
            double[] want = Arrays.stream(f, 3, 9).mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(want, ends, 0.0, f[0] + " first/last values (C order)");
            seen.add(f[0]);
        }
        int total = 0;
        for (int n = 1; n <= 3; n++) {
            for (String layer : files[n].layers()) total += layer.startsWith("PReLU") || layer.startsWith("prelu") ? 1 : 2;
        }
        assertEquals(total, seen.size(), "every parameter of the three files is checked");
    }
}
