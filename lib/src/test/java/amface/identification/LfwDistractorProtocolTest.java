package amface.identification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import amface.data.Progress;
import amface.eval.Embeddings;
import amface.eval.FlipMode;
import amface.image.RgbImage;
import amface.nn.Embedder;

/** The LFW protocol on a small LFW-shaped set: the split, the identity filter, real then synthetic distractors. */
class LfwDistractorProtocolTest {

    /** 30 people with 2-4 images (tight clusters), 50 single-image people, in 6 dimensions. */
    static Embeddings lfwLike(long seed) {
        Random rng = new Random(seed);
        Embeddings.Builder b = Embeddings.builder(6);
        for (int p = 0; p < 80; p++) {
            float[] centre = new float[6];
            for (int i = 0; i < 6; i++) centre[i] = (float) rng.nextGaussian();
            int images = p < 30 ? 2 + p % 3 : 1;
            for (int j = 1; j <= images; j++) {
                float[] v = new float[6];
                for (int i = 0; i < 6; i++) v[i] = centre[i] + 0.3f * (float) rng.nextGaussian();
                b.add(String.format("P%02d/P%02d_%04d.jpg", p, p, j), v);
            }
        }
        return b.build();
    }

    @Test
    void splitsPeopleAndReportsTheRealCurveApart() throws Exception {
        Embeddings e = lfwLike(1);
        LfwDistractorProtocol.Result r = LfwDistractorProtocol.of(e).withSeed(2).withNonMatedShare(0.2).withCheckpoints(0, 10, 40).withMaxRank(5).run(Progress.NONE);
        assertEquals(24, r.enrolled());
        assertEquals(50, r.realDistractors());
        assertEquals(0, r.syntheticDistractors());
        // Points at 0, 10, 40 and at all 50 real distractors; rank-1 cannot rise as distractors are added.
        assertEquals(List.of(0, 10, 40, 50), r.points().stream().map(LfwDistractorProtocol.Point::distractors).toList());
        for (int i = 1; i < r.points().size(); i++) assertTrue(r.points().get(i).rank1() <= r.points().get(i - 1).rank1());
        assertEquals(r.cmc().rate(1), r.points().get(3).rank1());
        assertTrue(r.cmc().rate(1) > 0.5, "tight clusters are mostly found: " + r.cmc().rate(1));
        assertEquals(3, r.openSet().size());
        assertTrue(r.summary().contains("rank-1"));
    }

    @Test
    void theIdentityFilterKeepsOthersOutOfProbesAndDistractors() throws Exception {
        Embeddings e = lfwLike(1);
        LfwDistractorProtocol.Result r = LfwDistractorProtocol.of(e).withIdentityFilter(id -> id.compareTo("P40") < 0)
            .withNonMatedShare(0).withCheckpoints(0).withMaxRank(3).run(Progress.NONE);
        assertEquals(30, r.enrolled());
        assertEquals(10, r.realDistractors()); // P30 .. P39
        assertTrue(Double.isNaN(r.points().get(0).tpirAtFpir()[0]), "no non-mated people, no TPIR");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> LfwDistractorProtocol.of(e).withIdentityFilter(id -> false).run(Progress.NONE));
        assertTrue(none.getMessage().contains("identity filter"), none.getMessage());
    }

    @Test
    void galleryTemplatesPoolSeveralImages() throws Exception {
        Embeddings e = lfwLike(1);
        // People P00..P29 have 2, 3, 4, 2, 3, 4, ... images: with 2 pooled images only the 20 with 3 or 4 take part.
        LfwDistractorProtocol.Result r = LfwDistractorProtocol.of(e).withGalleryImages(2).withNonMatedShare(0).withCheckpoints(0).withMaxRank(3).run(Progress.NONE);
        assertEquals(20, r.enrolled());
        assertEquals(10 * 1 + 10 * 2, r.matedProbes());
        LfwDistractorProtocol.Result single = LfwDistractorProtocol.of(e).withNonMatedShare(0).withCheckpoints(0).withMaxRank(3).run(Progress.NONE);
        assertTrue(r.cmc().rate(1) >= single.cmc().rate(1) - 0.1, "templates are not worse: " + r.cmc().rate(1) + " vs " + single.cmc().rate(1));
    }

    /** Mean colour of each image half: enough to tell painted faces apart a little. */
    static final class MeanColour implements Embedder {
        @Override public int inputHeight() { return 56; }
        @Override public int inputWidth() { return 48; }
        @Override public int embeddingSize() { return 6; }

        @Override
        public float[][] embed(List<RgbImage> images) {
            float[][] out = new float[images.size()][6];
            for (int k = 0; k < out.length; k++) {
                RgbImage img = images.get(k);
                for (int y = 0; y < img.height(); y++) {
                    for (int x = 0; x < img.width(); x++) {
                        for (int c = 0; c < 3; c++) out[k][(y < img.height() / 2 ? 0 : 3) + c] += img.get(x, y, c) / 255f - 0.5f;
                    }
                }
            }
            return out;
        }
    }

    @Test
    void syntheticDistractorsExtendTheGalleryInBlocks() throws Exception {
        SyntheticDistractors s = new SyntheticDistractors(new MeanColour(), FlipMode.NONE, 7, 0.5, 25, 8);
        float[][] first = s.next(10);
        assertEquals(10, first.length);
        double norm = 0;
        for (float v : first[3]) norm += v * v;
        assertEquals(1, norm, 1e-5);
        assertEquals(15, s.next(100).length);
        assertEquals(0, s.next(10).length);

        Embeddings e = lfwLike(3);
        // Embeddings of the MeanColour dimension for the real set: reuse the 6-d set directly.
        LfwDistractorProtocol.Result r = LfwDistractorProtocol.of(e).withCheckpoints(0, 50, 70).withMaxRank(3)
            .run(new SyntheticDistractors(new MeanColour(), FlipMode.NONE, 7, 0.5, 20, 8), Progress.NONE);
        assertEquals(20, r.syntheticDistractors());
        LfwDistractorProtocol.Point last = r.points().get(r.points().size() - 1);
        assertEquals(70, last.distractors());
        assertEquals(20, last.synthetic());
        assertTrue(IdentificationCharts.rank1VsDistractors(r).getSeriesMap().size() == 2);
    }
}
