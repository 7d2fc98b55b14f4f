package amface.nn.layers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement, not a test (opt-in: {@code -Damface.profile=true}): forward and backward (data + weights) time of
 * every ResFace20 convolution shape at batch 32, fp32 (Winograd where it applies, as training runs it) against
 * bf16 (direct, fp32 in and out), fastest of 8 runs (interleaved), with the oneDNN implementations picked.
 */
@EnabledIfSystemProperty(named = "amface.profile", matches = "true")
class ConvPrecisionProfile {
    static final int REPEATS = Integer.getInteger("amface.profile.repeats", 8);

    @Test
    void resface20Shapes() throws Exception {
        assumeTrue(Precision.bf16Problem() == null, String.valueOf(Precision.bf16Problem()));
        int[][] shapes = { // h, w, in, out, stride
            {112, 96, 3, 64, 2}, {56, 48, 64, 64, 1}, {56, 48, 64, 128, 2}, {28, 24, 128, 128, 1},
            {28, 24, 128, 256, 2}, {14, 12, 256, 256, 1}, {14, 12, 256, 512, 2}, {7, 6, 512, 512, 1}};
        StringBuilder out = new StringBuilder("shape fp32-fwd bf16-fwd fp32-bwd bf16-bwd (ms, min of " + REPEATS + ", batch 32)  load "
            + Files.readString(Path.of("/proc/loadavg")).trim() + "\n");
        for (int[] s : shapes) {
            int n = 32, h = s[0], w = s[1], in = s[2], o = s[3], st = s[4];
            long oh = (h + 2 - 3) / st + 1, ow = (w + 2 - 3) / st + 1;
            INDArray x = Nd4j.randn(DataType.FLOAT, n, h, w, in), wt = Nd4j.randn(DataType.FLOAT, o, in, 3, 3).muli(0.05);
            INDArray y = Nd4j.create(DataType.FLOAT, n, oh, ow, o), gy = Nd4j.randn(DataType.FLOAT, n, oh, ow, o);
            INDArray gx = x.ulike(), gw = wt.ulike();
            double[] t = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            OneDnnConvolution[] conv = {new OneDnnConvolution(3, st, 1), new OneDnnConvolution(3, st, 1)};
            for (int r = 0; r < REPEATS + 1; r++) {
                for (int p = 0; p < 2; p++) { // fp32 and bf16 interleaved: the shared machine's load hits both alike
                    boolean bf16 = p == 1;
                    long t0 = System.nanoTime();
                    conv[p].forward(x, wt, null, y, true, bf16);
                    long t1 = System.nanoTime();
                    conv[p].backward(x, wt, gy, gx, gw, bf16);
                    long t2 = System.nanoTime();
                    if (r > 0) {
                        t[p] = Math.min(t[p], (t1 - t0) / 1e6);
                        t[2 + p] = Math.min(t[2 + p], (t2 - t1) / 1e6);
                    }
                }
            }
            String[] impl = {conv[0].describe().trim(), conv[1].describe().trim()};
            out.append(String.format("%d@%dx%d->%d s%d  %.1f %.1f  %.1f %.1f%n   fp32 %s%n   bf16 %s%n", in, h, w, o, st, t[0], t[1], t[2], t[3], impl[0], impl[1]));
        }
        System.out.println(out);
        Files.writeString(Path.of(System.getProperty("amface.profile.out", "target/conv-precision-profile.txt")), out);
    }
}
