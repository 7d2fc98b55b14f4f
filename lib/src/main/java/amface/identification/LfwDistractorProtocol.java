package amface.identification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

import amface.data.Progress;
import amface.eval.Embeddings;

/**
 * An identification protocol that runs on LFW alone, MegaFace-style. The people with two or more images are split
 * (seeded): most are enrolled, with one randomly chosen image in the gallery (or a template of k,
 * {@link #withGalleryImages}) and their other images as mated probes; a share ({@link #withNonMatedShare}, default 0.2) is held back, their images being non-mated probes for
 * the open-set figures. The people with a single image (4,069 in LFW) are real distractors added to the gallery in
 * a seeded order; synthetic distractors ({@link SyntheticDistractors}) can extend the gallery beyond them. Rank-1 and
 * TPIR@FPIR are reported at each distractor count; the full CMC, TPIR@FPIR and DET at the end of the real
 * distractors (the real-only curve), apart from the synthetic extension.
 *
 * <p>A model must not be evaluated on people it trained on: {@link #withIdentityFilter} keeps only the allowed
 * people (for an LFW fold-out model, those of its held-out fold; people outside the filter are neither probes nor
 * distractors). Embeddings are L2-normalised here; the score is the cosine similarity.
 * <pre>{@code
 * LfwDistractorProtocol.Result r = LfwDistractorProtocol.of(lfwEmbeddings).withSeed(1)
 *     .withCheckpoints(0, 10, 100, 1000, 10_000, 100_000).run(syntheticOrNull, progress);
 * r.cmc().rate(1); r.openSet(); r.points(); r.summary();
 * }</pre>
 */
public final class LfwDistractorProtocol {
    private final Embeddings embeddings;
    private Predicate<String> identityFilter = id -> true;
    private double nonMatedShare = 0.2;
    private long seed = 1;
    private int[] checkpoints = {0, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private int maxRank = 20;
    private double[] fpirs = {1e-3, 1e-2, 1e-1};
    private int blockSize = 1024;
    private int galleryImages = 1;

    private LfwDistractorProtocol(Embeddings embeddings) {
        this.embeddings = Objects.requireNonNull(embeddings, "embeddings");
    }

    /** Embeddings of LFW images keyed {@code Name/Name_0001.jpg} (any subset; people are grouped by folder). */
    public static LfwDistractorProtocol of(Embeddings embeddings) {
        return new LfwDistractorProtocol(embeddings);
    }

    public LfwDistractorProtocol withIdentityFilter(Predicate<String> allowed) {
        this.identityFilter = Objects.requireNonNull(allowed, "allowed");
        return this;
    }

    public LfwDistractorProtocol withNonMatedShare(double share) {
        if (!(share >= 0 && share < 1)) throw new IllegalArgumentException("non-mated share must be in [0, 1), got " + share);
        this.nonMatedShare = share;
        return this;
    }

    /**
     * Images per enrolled person pooled into one gallery template ({@link TemplatePooling}, IJB-style; default 1,
     * a single image). With k &gt; 1 only people with at least k + 1 images can be enrolled or held back; people with
     * two to k images are left out.
     */
    public LfwDistractorProtocol withGalleryImages(int k) {
        if (k < 1) throw new IllegalArgumentException("gallery images per person must be at least 1, got " + k);
        this.galleryImages = k;
        return this;
    }

    public LfwDistractorProtocol withSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Distractor counts at which to report (increasing; 0 = the gallery alone). */
    public LfwDistractorProtocol withCheckpoints(int... counts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0 || i > 0 && counts[i] <= counts[i - 1]) throw new IllegalArgumentException("checkpoints must be increasing and non-negative: " + Arrays.toString(counts));
        }
        this.checkpoints = counts.clone();
        return this;
    }

    public LfwDistractorProtocol withMaxRank(int maxRank) {
        if (maxRank < 1) throw new IllegalArgumentException("max rank must be at least 1, got " + maxRank);
        this.maxRank = maxRank;
        return this;
    }

    public LfwDistractorProtocol withFpirs(double... fpirs) {
        this.fpirs = fpirs.clone();
        return this;
    }

    /** Figures at one gallery size: {@code synthetic} of the {@code distractors} are painted. */
    public record Point(int distractors, int synthetic, double rank1, double rank10, double[] tpirAtFpir) { }

    /**
     * The split, the real-only figures (after all real distractors) and the points. {@code fpirs[i]} goes with
     * {@code tpirAtFpir[i]} (rank 1) of every point.
     */
    public record Result(int enrolled, int matedProbes, int nonMatedProbes, int realDistractors, int syntheticDistractors,
                         IdentificationScores realScores, Cmc cmc, List<OpenSetIdentification.Point> openSet, DetCurve det,
                         double[] fpirs, List<Point> points) {
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "LFW identification: %d enrolled people, %d mated and %d non-mated probes, %d real distractors (single-image people)%s%n",
                enrolled, matedProbes, nonMatedProbes, realDistractors, syntheticDistractors > 0 ? String.format(Locale.ROOT, " + %d synthetic", syntheticDistractors) : ""));
            s.append("real distractors only: ").append(cmc.summary()).append('\n');
            for (OpenSetIdentification.Point p : openSet) s.append("  ").append(p.summary()).append('\n');
            s.append("rank-1 by distractor count:\n");
            for (Point p : points) {
                s.append(String.format(Locale.ROOT, "  %,9d distractors (%s): rank-1 %.4f, rank-10 %.4f", p.distractors,
                    p.synthetic == 0 ? "real" : p.synthetic + " synthetic", p.rank1, p.rank10));
                for (int i = 0; i < fpirs.length; i++) s.append(String.format(Locale.ROOT, ", TPIR@FPIR=%.0e %.4f", fpirs[i], p.tpirAtFpir[i]));
                s.append('\n');
            }
            return s.toString();
        }
    }

    /** Runs with the real distractors only. */
    public Result run(Progress progress) throws IOException {
        return run(null, progress);
    }

    /** Runs; {@code synthetic} (may be null) extends the gallery after the real distractors up to the last checkpoint. */
    public Result run(DistractorSource synthetic, Progress progress) throws IOException {
        Map<String, List<String>> people = new LinkedHashMap<>();
        for (String p : embeddings.paths()) {
            String id = TemplatePooling.lfwIdentity(p);
            if (identityFilter.test(id)) people.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
        }
        List<String> multi = new ArrayList<>(), single = new ArrayList<>();
        people.forEach((id, imgs) -> {
            if (imgs.size() == 1) single.add(id);
            else if (imgs.size() > galleryImages) multi.add(id);
        });
        if (multi.size() < 2) {
            throw new IllegalArgumentException("only " + multi.size() + " people with " + (galleryImages + 1) + " or more images pass the identity filter: nothing to identify");
        }
        Random rng = new Random(seed);
        Collections.shuffle(multi, rng);
        int held = (int) Math.round(nonMatedShare * multi.size());
        List<float[]> gallery = new ArrayList<>(), probes = new ArrayList<>();
        List<Integer> galleryLabels = new ArrayList<>(), probeLabels = new ArrayList<>();
        for (int i = 0; i < multi.size(); i++) {
            List<String> imgs = people.get(multi.get(i));
            if (galleryImages == 1) {
                int chosen = i < held ? -1 : rng.nextInt(imgs.size());
                for (int j = 0; j < imgs.size(); j++) {
                    float[] v = TemplatePooling.normalise(embeddings.get(imgs.get(j)));
                    if (j == chosen) { gallery.add(v); galleryLabels.add(i); } else { probes.add(v); probeLabels.add(i); }
                }
                continue;
            }
            List<String> order = new ArrayList<>(imgs);
            Collections.shuffle(order, rng);
            int enrolledImages = i < held ? 0 : galleryImages;
            List<float[]> template = new ArrayList<>();
            for (int j = 0; j < order.size(); j++) {
                float[] v = embeddings.get(order.get(j));
                if (j < enrolledImages) template.add(v); else { probes.add(TemplatePooling.normalise(v)); probeLabels.add(i); }
            }
            if (!template.isEmpty()) { gallery.add(TemplatePooling.pool(template)); galleryLabels.add(i); }
        }
        Collections.shuffle(single, rng);
        float[][] real = new float[single.size()][];
        for (int i = 0; i < real.length; i++) real[i] = TemplatePooling.normalise(embeddings.get(people.get(single.get(i)).get(0)));

        float[][] probeRows = probes.toArray(float[][]::new);
        int[] pl = probeLabels.stream().mapToInt(Integer::intValue).toArray();
        int[] gl = galleryLabels.stream().mapToInt(Integer::intValue).toArray();
        ProbeRanker ranker = ProbeRanker.forGallery(pl, gl, maxRank);
        ranker.offerBlock(SimilarityBlocks.dot(probeRows, gallery.toArray(float[][]::new)), gl);

        int last = checkpoints.length == 0 ? real.length : Math.max(checkpoints[checkpoints.length - 1], real.length);
        DistractorSource stream = DistractorSource.of(real);
        if (synthetic != null) stream = stream.then(synthetic);
        List<Integer> stops = new ArrayList<>();
        for (int c : checkpoints) if (c <= last) stops.add(c);
        if (!stops.contains(real.length)) stops.add(real.length); // the real-only curve always ends at all real distractors
        Collections.sort(stops);
        List<Point> points = new ArrayList<>();
        IdentificationScores realScores = null;
        int seen = 0;
        progress.start("distractors", stops.get(stops.size() - 1));
        for (int stop : stops) {
            while (seen < stop) {
                float[][] block = stream.next(Math.min(blockSize, stop - seen));
                if (block.length == 0) break;
                ranker.offerDistractors(SimilarityBlocks.dot(probeRows, block));
                seen += block.length;
                progress.update(seen, seen > real.length ? "synthetic" : "real");
            }
            if (seen < stop) break;
            IdentificationScores s = ranker.result();
            if (stop == real.length) realScores = s;
            double[] tpir = new double[fpirs.length];
            for (int i = 0; i < fpirs.length; i++) tpir[i] = held > 0 ? OpenSetIdentification.tpirAtFpir(s, fpirs[i], 1).tpir() : Double.NaN;
            Cmc cmc = Cmc.of(s, Math.min(10, maxRank));
            points.add(new Point(stop, Math.max(0, stop - real.length), cmc.rate(1), cmc.rate(cmc.maxRank()), tpir));
        }
        progress.finish(seen + " distractors (" + Math.min(seen, real.length) + " real)");
        List<OpenSetIdentification.Point> open = new ArrayList<>();
        DetCurve det = null;
        if (held > 0) {
            for (double f : fpirs) open.add(OpenSetIdentification.tpirAtFpir(realScores, f, 1));
            det = DetCurve.of(realScores, 1);
        }
        return new Result(multi.size() - held, realScores.matedCount(), realScores.nonMatedCount(), real.length, Math.max(0, seen - real.length),
            realScores, Cmc.of(realScores, maxRank), List.copyOf(open), det, fpirs.clone(), List.copyOf(points));
    }
}
