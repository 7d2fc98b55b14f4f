package amface.identification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import amface.data.Progress;

/**
 * The MegaFace protocol against a million distractors streamed
 * from a generator, 512-d, never held in memory; prints the time (under load: not a speed claim).
 */
class MegaFaceScaleTest {

    @Test
    void aMillionStreamedDistractors() throws Exception {
        int dim = 512, identities = 100, perIdentity = 4;
        Random rng = new Random(1);
        float[][] probes = new float[identities * perIdentity][];
        int[] labels = new int[probes.length];
        for (int id = 0; id < identities; id++) {
            float[] c = gaussian(rng, dim, 1);
            for (int j = 0; j < perIdentity; j++) {
                float[] v = gaussian(rng, dim, 3f); // member cosine ~0.1: near the top of a million random scores
                for (int k = 0; k < dim; k++) v[k] += c[k];
                probes[id * perIdentity + j] = TemplatePooling.normalise(v);
                labels[id * perIdentity + j] = id;
            }
        }
        Random drng = new Random(2);
        DistractorSource generated = max -> {
            float[][] b = new float[max][];
            for (int i = 0; i < max; i++) b[i] = TemplatePooling.normalise(gaussian(drng, dim, 1));
            return b;
        };
        long t0 = System.nanoTime();
        MegaFaceProtocol.Result r = MegaFaceProtocol.of(probes, labels).withBlockSize(4096).withProgress(Progress.NONE).run(generated);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.print(r.summary());
        System.out.printf(Locale.ROOT, "1M distractors x %d probes in %.0f s (under load: not a speed claim)%n", probes.length, s);
        assertTrue(r.complete());
        assertEquals(6, r.points().size());
        for (int i = 1; i < 6; i++) assertTrue(r.points().get(i).rank1() <= r.points().get(i - 1).rank1());
    }

    private static float[] gaussian(Random rng, int dim, float scale) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) v[i] = (float) rng.nextGaussian() * scale;
        return v;
    }
}
