package amface.identification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import amface.data.Progress;
import amface.testing.Python;

/**
 * Every identification figure against the independent NumPy script {@code reference/identification_reference.py}
 * on five embedding sets (random, easy, hard, many exact ties, mostly absent mates), to 1e-9: CMC from a full
 * matrix, from the streaming {@link ProbeRanker} and from candidate lists; TPIR@FPIR and the DET curve; the MegaFace
 * protocol; BLUFR VR/DIR. Embeddings are small integers, so every score is exact in fp32 and float64 alike and
 * ties are real ties on both sides.
 */
class IdentificationReferenceTest {
    private static final double TOL = 1e-9;
    private static final double[] FPIRS = {0.0, 0.05, 0.1, 0.3, 1.0};
    private static final int[] RANKS = {1, 5};
    private static final int MAX_RANK = 8;
    private static final double[] BLUFR_FARS = {0.1, 0.01, 1e-3};
    private static final double BLUFR_OPEN_SET_FAR = 0.1;

    /** One generated set: a kind of embedding noise around identity centres. */
    record Kind(String name, int dim, int centreRange, int centreScale, int noise) { }

    static final List<Kind> KINDS = List.of(
        new Kind("random", 8, 3, 0, 3),        // no identity structure at all
        new Kind("easy", 16, 5, 3, 1),
        new Kind("hard", 12, 2, 1, 3),
        new Kind("ties", 3, 1, 1, 1),          // values in {-2..2} in 3 dimensions: scores tie everywhere
        new Kind("absent", 10, 3, 2, 2));      // most probes' identities are not enrolled

    static float[] vector(Random rng, int[] centre, Kind k) {
        float[] v = new float[k.dim()];
        for (int i = 0; i < v.length; i++) v[i] = k.centreScale() * centre[i] + rng.nextInt(2 * k.noise() + 1) - k.noise();
        return v;
    }

    static int[] centre(Random rng, Kind k) {
        int[] c = new int[k.dim()];
        for (int i = 0; i < c.length; i++) c[i] = rng.nextInt(2 * k.centreRange() + 1) - k.centreRange();
        return c;
    }

    /** A case's data: the identification search, the MegaFace probe set and distractors, the BLUFR set. */
    static final class Case {
        float[][] gallery, probes, distractors;
        int[] galleryLabels, probeLabels;
        float[][] mfProbes, mfDistractors;
        int[] mfLabels;
        double mfFar;
        float[][] blufrFeatures;
        BlufrTrials blufr;
    }

    static Case generate(Kind k, long seed) {
        Random rng = new Random(seed);
        Case c = new Case();
        int identities = 40;
        int[][] centres = new int[identities][];
        for (int i = 0; i < identities; i++) centres[i] = centre(rng, k);
        int enrolled = k.name().equals("absent") ? 6 : 25;
        List<float[]> g = new ArrayList<>(), p = new ArrayList<>();
        List<Integer> gl = new ArrayList<>(), pl = new ArrayList<>();
        for (int i = 0; i < enrolled; i++) {
            g.add(vector(rng, centres[i], k));
            gl.add(i);
            if (i % 5 == 0) { g.add(vector(rng, centres[i], k)); gl.add(i); } // some identities enrolled twice
        }
        for (int n = 0; n < 70; n++) {
            int id = rng.nextInt(identities);
            p.add(vector(rng, centres[id], k));
            pl.add(id);
        }
        c.gallery = g.toArray(float[][]::new);
        c.galleryLabels = pl(gl);
        c.probes = p.toArray(float[][]::new);
        c.probeLabels = pl(pl);
        c.distractors = new float[30][];
        for (int i = 0; i < c.distractors.length; i++) c.distractors[i] = vector(rng, centre(rng, k), k);

        List<float[]> mp = new ArrayList<>();
        List<Integer> ml = new ArrayList<>();
        for (int id = 0; id < 12; id++) {
            int images = 1 + rng.nextInt(4);
            for (int j = 0; j < images; j++) { mp.add(vector(rng, centres[id], k)); ml.add(id); }
        }
        c.mfProbes = mp.toArray(float[][]::new);
        c.mfLabels = pl(ml);
        c.mfDistractors = new float[150][];
        for (int i = 0; i < c.mfDistractors.length; i++) c.mfDistractors[i] = vector(rng, centre(rng, k), k);
        c.mfFar = k.name().equals("hard") ? 1e-6 : 0.01;

        Map<String, List<String>> people = new LinkedHashMap<>();
        List<float[]> feats = new ArrayList<>();
        for (int id = 0; id < 40; id++) {
            int images = 1 + rng.nextInt(id % 3 == 0 ? 1 : 5);
            List<String> names = new ArrayList<>();
            for (int j = 0; j < images; j++) {
                names.add("p" + id + "/" + j);
                feats.add(vector(rng, centres[id], k));
            }
            people.put("p" + id, names);
        }
        c.blufr = BlufrTrials.generate(people, 3, 8, 6, seed);
        c.blufrFeatures = feats.toArray(float[][]::new);
        return c;
    }

    private static int[] pl(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }

    @Test
    void everyFigureAgreesWithTheNumpyReference(@TempDir Path root) throws Exception {
        List<Case> cases = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < KINDS.size(); i++) {
            Case c = generate(KINDS.get(i), 1000 + i);
            cases.add(c);
            Path dir = root.resolve(KINDS.get(i).name());
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("case.json"), caseJson(c));
            dirs.add(dir.toString());
        }
        Path python = Python.venv("threshold", "reference/requirements-threshold.txt");
        Python.script(python, "reference/identification_reference.py", dirs.toArray(String[]::new));

        Map<String, Double> rank1 = new LinkedHashMap<>();
        for (int i = 0; i < KINDS.size(); i++) {
            Case c = cases.get(i);
            String name = KINDS.get(i).name();
            JsonObject ref = new JsonParser().parse(Files.readString(Path.of(dirs.get(i), "identification_reference.json"))).getAsJsonObject();
            checkIdentification(name, c, ref);
            checkMegaFace(name, c, ref.getAsJsonArray("megaface"));
            checkBlufr(name, c, ref.getAsJsonObject("blufr"));
            rank1.put(name, ref.getAsJsonArray("cmc").get(0).getAsDouble());
        }
        // Not a degenerate agreement: the sets span easy to hard.
        assertTrue(rank1.get("easy") > 0.9 && rank1.get("hard") < rank1.get("easy") && rank1.get("random") < 0.5, "rank-1 by set: " + rank1);
    }

    private static void checkIdentification(String name, Case c, JsonObject ref) {
        float[][] gallery = concat(c.gallery, c.distractors);
        int[] labels = Arrays.copyOf(c.galleryLabels, gallery.length);
        Arrays.fill(labels, c.galleryLabels.length, labels.length, ProbeRanker.NO_IDENTITY);
        double[][] matrix = new double[c.probes.length][gallery.length];
        for (int p = 0; p < matrix.length; p++) for (int g = 0; g < gallery.length; g++) matrix[p][g] = dot(c.probes[p], gallery[g]);
        IdentificationScores full = IdentificationScores.fromMatrix(matrix, c.probeLabels, labels);

        // Streaming, as over a large gallery: enrolled entries in one block, distractors in blocks of 7.
        ProbeRanker ranker = ProbeRanker.forGallery(c.probeLabels, c.galleryLabels, MAX_RANK);
        ranker.offerBlock(SimilarityBlocks.dot(c.probes, c.gallery), c.galleryLabels);
        for (int s = 0; s < c.distractors.length; s += 7) {
            ranker.offerDistractors(SimilarityBlocks.dot(c.probes, SimilarityBlocks.slice(c.distractors, s, Math.min(c.distractors.length, s + 7))));
        }
        IdentificationScores streamed = ranker.result();

        // As an index would return them: every entry as a candidate, in a shuffled order.
        int[][] candLabels = new int[matrix.length][];
        double[][] candScores = new double[matrix.length][];
        Random rng = new Random(5);
        for (int p = 0; p < matrix.length; p++) {
            Integer[] order = new Integer[gallery.length];
            for (int g = 0; g < order.length; g++) order[g] = g;
            java.util.Collections.shuffle(Arrays.asList(order), rng);
            candLabels[p] = new int[order.length];
            candScores[p] = new double[order.length];
            for (int g = 0; g < order.length; g++) { candLabels[p][g] = labels[order[g]]; candScores[p][g] = matrix[p][order[g]]; }
        }
        IdentificationScores candidates = IdentificationScores.fromCandidates(c.probeLabels, IdentificationScores.enrolled(c.probeLabels, c.galleryLabels), candLabels, candScores);

        JsonArray ranks = ref.getAsJsonArray("ranks");
        for (int p = 0; p < c.probes.length; p++) {
            int want = ranks.get(p).getAsInt();
            assertEquals(want, full.mateRank(p), name + ": rank of probe " + p);
            assertEquals(want, candidates.mateRank(p), name + ": candidates' rank of probe " + p);
            assertEquals(want <= MAX_RANK ? want : 0, streamed.mateRank(p), name + ": streamed rank of probe " + p);
        }
        double[] want = doubles(ref.getAsJsonArray("cmc"));
        assertArrayClose(want, Cmc.of(full, MAX_RANK).rates(), name + ": CMC");
        assertArrayClose(want, Cmc.of(streamed, MAX_RANK).rates(), name + ": streamed CMC");
        assertArrayClose(want, Cmc.of(candidates, MAX_RANK).rates(), name + ": candidates' CMC");

        JsonArray open = ref.getAsJsonArray("open_set");
        int k = 0;
        for (double f : FPIRS) {
            for (int r : RANKS) {
                JsonObject o = open.get(k++).getAsJsonObject();
                for (IdentificationScores s : List.of(full, streamed)) {
                    OpenSetIdentification.Point pt = OpenSetIdentification.tpirAtFpir(s, f, r);
                    String what = name + ": FPIR " + f + " rank " + r;
                    assertEquals(o.get("threshold").getAsDouble(), pt.threshold(), TOL, what + " threshold");
                    assertEquals(o.get("fpir").getAsDouble(), pt.fpir(), TOL, what + " FPIR");
                    assertEquals(o.get("tpir").getAsDouble(), pt.tpir(), TOL, what + " TPIR");
                }
            }
        }
        for (int r : RANKS) {
            JsonObject d = ref.getAsJsonObject("det").getAsJsonObject(Integer.toString(r));
            DetCurve det = DetCurve.of(streamed, r);
            assertArrayClose(doubles(d.getAsJsonArray("threshold")), det.thresholds(), name + ": DET thresholds rank " + r);
            assertArrayClose(doubles(d.getAsJsonArray("fpir")), det.fpir(), name + ": DET FPIR rank " + r);
            assertArrayClose(doubles(d.getAsJsonArray("fnir")), det.fnir(), name + ": DET FNIR rank " + r);
        }
    }

    private static void checkMegaFace(String name, Case c, JsonArray ref) throws Exception {
        MegaFaceProtocol.Result r = MegaFaceProtocol.of(c.mfProbes, c.mfLabels).withSizes(10, 60, 150).withMaxRank(5).withFar(c.mfFar)
            .withBlockSize(16).run(DistractorSource.of(c.mfDistractors));
        assertTrue(r.complete());
        assertEquals(ref.size(), r.points().size());
        for (int i = 0; i < ref.size(); i++) {
            JsonObject o = ref.get(i).getAsJsonObject();
            MegaFaceProtocol.Point p = r.points().get(i);
            String what = name + ": MegaFace at " + p.distractors();
            assertEquals(o.get("distractors").getAsInt(), p.distractors());
            assertArrayClose(doubles(o.getAsJsonArray("cmc")), p.cmc(), what + " CMC");
            assertEquals(o.get("threshold").getAsDouble(), p.threshold(), TOL, what + " threshold");
            assertEquals(o.get("tar").getAsDouble(), p.tar(), TOL, what + " TAR");
        }
    }

    private static void checkBlufr(String name, Case c, JsonObject ref) {
        BlufrEvaluation.Result r = BlufrEvaluation.evaluate(c.blufr, c.blufrFeatures, BLUFR_FARS, BLUFR_OPEN_SET_FAR, Progress.NONE);
        JsonArray vr = ref.getAsJsonArray("vr");
        for (int t = 0; t < r.trials().size(); t++) {
            assertArrayClose(doubles(vr.get(t).getAsJsonArray()), r.trials().get(t).vr(), name + ": BLUFR VR trial " + t);
        }
        assertArrayClose(doubles(ref.getAsJsonArray("dir")), r.trials().stream().mapToDouble(BlufrEvaluation.Trial::dir).toArray(), name + ": BLUFR DIR");
        for (int f = 0; f < BLUFR_FARS.length; f++) {
            assertEquals(ref.getAsJsonArray("vr_mean").get(f).getAsDouble(), r.vrMean(f), TOL, name + ": VR mean");
            assertEquals(ref.getAsJsonArray("vr_std").get(f).getAsDouble(), r.vrStd(f), TOL, name + ": VR std");
        }
        assertEquals(ref.get("dir_mean").getAsDouble(), r.dirMean(), TOL, name + ": DIR mean");
        assertEquals(ref.get("dir_std").getAsDouble(), r.dirStd(), TOL, name + ": DIR std");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    static float[][] concat(float[][] a, float[][] b) {
        float[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }

    private static void assertArrayClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Double.isInfinite(want[i])) assertEquals(want[i], got[i], what + " at " + i);
            else assertEquals(want[i], got[i], TOL, what + " at " + i);
        }
    }

    private static String caseJson(Case c) {
        StringBuilder s = new StringBuilder("{\n\"identification\": {");
        s.append("\"gallery\": ").append(json(c.gallery)).append(", \"gallery_labels\": ").append(Arrays.toString(c.galleryLabels));
        s.append(", \"probes\": ").append(json(c.probes)).append(", \"probe_labels\": ").append(Arrays.toString(c.probeLabels));
        s.append(", \"distractors\": ").append(json(c.distractors)).append(", \"max_rank\": ").append(MAX_RANK);
        s.append(", \"fpirs\": ").append(Arrays.toString(FPIRS)).append(", \"ranks\": ").append(Arrays.toString(RANKS)).append("},\n");
        s.append("\"megaface\": {\"probes\": ").append(json(c.mfProbes)).append(", \"labels\": ").append(Arrays.toString(c.mfLabels));
        s.append(", \"distractors\": ").append(json(c.mfDistractors)).append(", \"sizes\": [10, 60, 150], \"max_rank\": 5, \"far\": ").append(c.mfFar).append("},\n");
        s.append("\"blufr\": {\"features\": ").append(json(c.blufrFeatures)).append(", \"labels\": ").append(Arrays.toString(c.blufr.labels()));
        s.append(", \"fars\": ").append(Arrays.toString(BLUFR_FARS)).append(", \"open_set_far\": ").append(BLUFR_OPEN_SET_FAR).append(", \"trials\": [");
        for (int t = 0; t < c.blufr.trials().size(); t++) {
            BlufrTrials.Trial tr = c.blufr.trials().get(t);
            if (t > 0) s.append(", ");
            s.append("{\"test\": ").append(Arrays.toString(tr.test())).append(", \"gallery\": ").append(Arrays.toString(tr.gallery()))
                .append(", \"probes\": ").append(Arrays.toString(tr.probes())).append("}");
        }
        return s.append("]}\n}\n").toString();
    }

    private static String json(float[][] rows) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < rows.length; i++) {
            if (i > 0) s.append(", ");
            s.append("[");
            for (int j = 0; j < rows[i].length; j++) s.append(j > 0 ? ", " : "").append((int) rows[i][j]);
            s.append("]");
        }
        return s.append("]").toString();
    }
}
