package amface.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link OneDnnChain} in bf16 (the MTCNN measurement) against the same chain in f32 on random input with a P-Net-like
 * stack: relative RMS error under {@value #TOLERANCE} (bf16 keeps 8 mantissa bits, four layers round), same shape.
 */
class OneDnnChainBf16Test {
    static final double TOLERANCE = 0.02;

    @Test
    void bf16ChainIsCloseToF32() {
        String why = Precision.bf16Problem();
        assumeTrue(why == null, "bf16 cannot run here: " + why);
        Random r = new Random(4);
        float[] w1 = gauss(r, 10 * 3 * 9, 0.3), b1 = gauss(r, 10, 0.1), a1 = gauss(r, 10, 0.2);
        float[] w2 = gauss(r, 16 * 10 * 9, 0.15), b2 = gauss(r, 16, 0.1), a2 = gauss(r, 16, 0.2);
        float[] wd = gauss(r, 6 * 16 * 9 * 9, 0.05), bd = gauss(r, 6, 0.1);
        OneDnnChain.Builder f = OneDnnChain.builder(3), b = OneDnnChain.builder(3).bf16(true);
        for (OneDnnChain.Builder c : new OneDnnChain.Builder[] {f, b}) {
            c.conv(3, 10, w1, b1).prelu(a1).maxPool(2, 2, true).conv(3, 16, w2, b2).prelu(a2).dense(6, wd, bd);
        }
        float[] x = gauss(r, 2 * 24 * 24 * 3, 1);
        OneDnnChain.Output want = f.build().forward(x, 2, 24, 24), got = b.build().forward(x, 2, 24, 24);
        assertArrayEquals(want.dims(), got.dims());
        double d = 0, m = 0;
        for (int i = 0; i < want.values().length; i++) {
            d += Math.pow(want.values()[i] - got.values()[i], 2);
            m += Math.pow(want.values()[i], 2);
        }
        assertTrue(Math.sqrt(d / m) < TOLERANCE, "relative RMS error " + Math.sqrt(d / m));
        assertTrue(Math.sqrt(d / m) > 0, "bf16 must round somewhere (else the chain did not run in bf16)");
    }

    private static float[] gauss(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * sd);
        return v;
    }
}
