package amface.gallery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.data.Progress;

/**
 * The search figures on synthetic unit vectors: for each gallery size, exact search throughput of both kernels in
 * GFLOP/s next to the machine's sgemm rate measured in the same run (the ratio is the claim), single-probe
 * latency, and for the HNSW graph its build time, latency and recall@1/@10 against exact search. Galleries are
 * clustered like faces (identities of {@link #PER_IDENTITY} noisy vectors around a random centre; probes are new
 * noisy vectors of gallery identities), or uniformly random on the sphere (the hardest case for a graph).
 * <pre>{@code
 * SearchBenchmark.Result r = SearchBenchmark.builder().sizes(10_000, 100_000).work(dir).progress(p).run();
 * System.out.println(r.table());
 * }</pre>
 */
public final class SearchBenchmark {
    /** Vectors per synthetic identity. */
    public static final int PER_IDENTITY = 10;
    private static final String FINGERPRINT = "0".repeat(64);

    /** One gallery size's figures; {@code NaN} where not measured. */
    public record Row(int size, String data, double sgemmGflops, double exactNd4jGflops, double exactJavaGflops, double exactLatencyMs,
                      double hnswBuildSeconds, double hnswLatencyMs, double recallAt1, double recallAt10, Bf16 bf16) {
        /** Exact search's rate over the bare sgemm rate on the same blocks, measured in alternation (best pair). */
        public double ratio() { return exactNd4jGflops / sgemmGflops; }
    }

    /**
     * bf16 exact search against fp32 exact search on the same gallery and probes: its rate (timed in alternation
     * with the others), over the bare sgemm rate; the share of probes whose rank 1 is fp32's; recall@10 of fp32's
     * top 10; the largest score difference among the top 10; the single-probe latency.
     */
    public record Bf16(double gflops, double ratio, double rank1Agreement, double recallAt10, double maxScoreError, double latencyMs, String implementation) { }

    /** The figures and the sgemm rate they are compared with. */
    public record Result(int dimension, int batch, double sgemmGflops, String sgemmShape, List<Row> rows, HnswIndex.Params params, int ef) {
        public String table() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "machine sgemm (ND4J, %s, alone): %.1f GFLOP/s; probes in batches of %d; %d dims; HNSW M=%d beam %d ef %d%n",
                sgemmShape, sgemmGflops, batch, dimension, params.m(), params.beamWidth(), ef));
            s.append("sgemm = the bare products over the same gallery blocks, timed in alternation with exact search; ratio = exact / sgemm\n");
            s.append(String.format(Locale.ROOT, "%9s %-9s %11s %12s %6s %12s %10s %8s %10s %9s %9s%n", "gallery", "data", "sgemm", "exact nd4j", "ratio",
                "exact java", "exact 1q", "hnsw bld", "hnsw 1q", "recall@1", "recall@10"));
            for (Row r : rows) {
                s.append(String.format(Locale.ROOT, "%9d %-9s %6.1f GF/s %7.1f GF/s %5.2fx %7.1f GF/s %7.2f ms %7.1f s %7.2f ms %9.4f %9.4f%n", r.size(), r.data(),
                    r.sgemmGflops(), r.exactNd4jGflops(), r.ratio(), r.exactJavaGflops(), r.exactLatencyMs(), r.hnswBuildSeconds(), r.hnswLatencyMs(),
                    r.recallAt1(), r.recallAt10()));
            }
            if (rows.stream().anyMatch(r -> r.bf16() != null)) {
                s.append("bf16 exact search (oneDNN matmul, bf16 inputs, f32 scores) against fp32 exact search; ratio = bf16 exact / sgemm (fp32)\n");
                s.append(String.format(Locale.ROOT, "%9s %12s %6s %10s %10s %12s %10s  %s%n", "gallery", "exact bf16", "ratio", "rank-1 =", "recall@10", "max |ds|", "bf16 1q", "oneDNN kernel"));
                for (Row r : rows) {
                    Bf16 b = r.bf16();
                    if (b == null) continue;
                    s.append(String.format(Locale.ROOT, "%9d %7.1f GF/s %5.2fx %10.4f %10.4f %12.2e %7.2f ms  %s%n", r.size(), b.gflops(), b.ratio(), b.rank1Agreement(),
                        b.recallAt10(), b.maxScoreError(), b.latencyMs(), b.implementation()));
                }
            }
            return s.toString();
        }
    }

    private int[] sizes = {10_000, 100_000};
    private int dimension = 512;
    private int probes = 200;
    private boolean random;
    private boolean javaKernel = true;
    private boolean graph = true;
    private boolean bf16 = true;
    private HnswIndex.Params params = HnswIndex.Params.DEFAULT;
    private int ef = HnswIndex.DEFAULT_EF;
    private Path work;
    private Progress progress = Progress.NONE;

    private SearchBenchmark() { }

    public static SearchBenchmark builder() { return new SearchBenchmark(); }

    public SearchBenchmark sizes(int... s) { this.sizes = s.clone(); return this; }

    public SearchBenchmark dimension(int d) { this.dimension = d; return this; }

    /** Probes for recall and HNSW latency (exact throughput always uses a full batch). */
    public SearchBenchmark probes(int n) { this.probes = n; return this; }

    /** Uniformly random vectors instead of clustered ones. */
    public SearchBenchmark random(boolean r) { this.random = r; return this; }

    /** Whether to time the plain-Java kernel too (slow at 1 M). */
    public SearchBenchmark javaKernel(boolean j) { this.javaKernel = j; return this; }

    /** Whether to build and measure the HNSW graph (slow to build at 1 M). */
    public SearchBenchmark graph(boolean g) { this.graph = g; return this; }

    /** Whether to measure bf16 exact search too (where the CPU has it; default). */
    public SearchBenchmark bf16(boolean b) { this.bf16 = b; return this; }

    public SearchBenchmark hnsw(HnswIndex.Params p, int efSearch) { this.params = p; this.ef = efSearch; return this; }

    /** Where the HNSW graphs are built (a scratch folder; emptied per size). */
    public SearchBenchmark work(Path dir) { this.work = dir; return this; }

    public SearchBenchmark progress(Progress p) { this.progress = p; return this; }

    public Result run() throws IOException {
        if (work == null) throw new IllegalArgumentException("the benchmark needs a scratch folder for the HNSW graphs");
        int batch = ExactSearch.PROBE_BATCH;
        double sgemm = sgemmGflops(batch, Gallery.BLOCK, dimension);
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            Random r = new Random(n);
            float[][] centres = new float[Math.max(1, n / PER_IDENTITY)][];
            Gallery g = synthetic(n, dimension, random, r, centres);
            float[][] q = probes(Math.max(probes, batch), dimension, random, r, centres);
            float[][] few = java.util.Arrays.copyOf(q, probes);
            double nd4j = 0, bare = 0, half = 0, javaRate = Double.NaN, oneMs;
            List<List<SearchHit>> truth, truthFull;
            boolean withBf16 = bf16 && ExactSearch.bf16Problem() == null;
            Bf16 bf16Row = null;
            try (ExactSearch exact = ExactSearch.of(g); BareProducts products = new BareProducts(g, batch);
                 ExactSearch low = ExactSearch.of(g).withKernel(withBf16 ? ExactSearch.Kernel.BF16 : ExactSearch.Kernel.ND4J)) {
                exact.search(java.util.Arrays.copyOf(q, 8), 10);   // warm-up: off-heap blocks, JIT
                if (withBf16) low.search(java.util.Arrays.copyOf(q, 8), 10);
                float[][] full = java.util.Arrays.copyOf(q, batch);
                List<List<SearchHit>> lowFull = null;
                // Alternating runs of the bare products and of the search on the same blocks, best of each: on a
                // shared machine neither gets a quiet spell the other did not have a chance at.
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    products.run();
                    long t1 = System.nanoTime();
                    exact.search(full, 10);
                    long t2 = System.nanoTime();
                    bare = Math.max(bare, gflops(batch, n, dimension, t1 - t0));
                    nd4j = Math.max(nd4j, gflops(batch, n, dimension, t2 - t1));
                    if (withBf16) {
                        long t3 = System.nanoTime();
                        lowFull = low.search(full, 10);
                        half = Math.max(half, gflops(batch, n, dimension, System.nanoTime() - t3));
                    }
                }
                truth = exact.search(few, 10);
                truthFull = exact.search(full, 10);
                int singles = 5;
                long t1 = System.nanoTime();
                for (int i = 0; i < singles; i++) exact.search(q[i], 10);
                oneMs = (System.nanoTime() - t1) / 1e6 / singles;
                if (withBf16) {
                    long t3 = System.nanoTime();
                    for (int i = 0; i < singles; i++) low.search(q[i], 10);
                    double lowMs = (System.nanoTime() - t3) / 1e6 / singles;
                    bf16Row = compare(truthFull, lowFull, half, half / bare, lowMs, low.bf16Implementation());
                }
            }
            if (javaKernel) {
                try (ExactSearch exact = ExactSearch.of(g).withKernel(ExactSearch.Kernel.JAVA)) {
                    int jb = 64;
                    exact.search(java.util.Arrays.copyOf(q, 8), 10);
                    long t0 = System.nanoTime();
                    exact.search(java.util.Arrays.copyOf(q, jb), 10);
                    javaRate = gflops(jb, n, dimension, System.nanoTime() - t0);
                }
            }
            if (!graph) {
                rows.add(new Row(n, random ? "random" : "clustered", bare, nd4j, javaRate, oneMs, Double.NaN, Double.NaN, Double.NaN, Double.NaN, bf16Row));
                continue;
            }
            Path dir = work.resolve("hnsw-" + n);
            deleteTree(dir);
            long b0 = System.nanoTime();
            HnswIndex.build(dir, g, params, progress);
            double build = (System.nanoTime() - b0) / 1e9;
            double r1 = 0, r10 = 0, hnswMs;
            try (HnswIndex h = HnswIndex.open(dir, g).withEf(ef)) {
                h.search(java.util.Arrays.copyOf(few, Math.min(20, few.length)), 10);   // warm-up
                long t0 = System.nanoTime();
                List<List<SearchHit>> got = h.search(few, 10);
                hnswMs = (System.nanoTime() - t0) / 1e6 / few.length;
                for (int i = 0; i < few.length; i++) {
                    Set<Long> want = new HashSet<>();
                    for (SearchHit s : truth.get(i)) want.add(s.entry().id());
                    int found = 0;
                    for (SearchHit s : got.get(i)) if (want.contains(s.entry().id())) found++;
                    r10 += found / (double) want.size();
                    if (!got.get(i).isEmpty() && got.get(i).get(0).entry().id() == truth.get(i).get(0).entry().id()) r1++;
                }
            }
            deleteTree(dir);
            rows.add(new Row(n, random ? "random" : "clustered", bare, nd4j, javaRate, oneMs, build, hnswMs, r1 / few.length, r10 / few.length, bf16Row));
        }
        return new Result(dimension, batch, sgemm, batch + "x" + dimension + " by " + dimension + "x" + Gallery.BLOCK, rows, params, ef);
    }

    /** bf16's top 10 against fp32's for the same probes. */
    private static Bf16 compare(List<List<SearchHit>> fp32, List<List<SearchHit>> bf16, double gflops, double ratio, double latencyMs, String impl) {
        int agree = 0, found = 0, total = 0;
        double maxError = 0;
        for (int i = 0; i < fp32.size(); i++) {
            java.util.Map<Long, Double> want = new java.util.HashMap<>();
            for (SearchHit h : fp32.get(i)) want.put(h.entry().id(), h.score());
            if (fp32.get(i).get(0).entry().id() == bf16.get(i).get(0).entry().id()) agree++;
            for (SearchHit h : bf16.get(i)) {
                Double s = want.get(h.entry().id());
                if (s == null) continue;
                found++;
                maxError = Math.max(maxError, Math.abs(s - h.score()));
            }
            total += want.size();
        }
        return new Bf16(gflops, ratio, agree / (double) fp32.size(), found / (double) total, maxError, latencyMs, impl);
    }

    /** The matrix products of exact search alone ([batch, d] by every gallery block transposed), without the top-k. */
    private static final class BareProducts implements AutoCloseable {
        private final List<INDArray> blocks = new ArrayList<>();
        private final INDArray probes;
        private final INDArray out;

        BareProducts(Gallery g, int batch) {
            for (int i = 0; i < g.blocks().length; i++) blocks.add(Nd4j.create(g.blocks()[i], new long[] {g.rowsIn(i), g.dimension()}, DataType.FLOAT));
            probes = Nd4j.rand(DataType.FLOAT, batch, g.dimension());
            out = Nd4j.create(DataType.FLOAT, batch, Gallery.BLOCK);
        }

        void run() {
            for (INDArray b : blocks) {
                INDArray c = b.rows() == Gallery.BLOCK ? out : Nd4j.create(DataType.FLOAT, probes.rows(), b.rows());
                Nd4j.gemm(probes, b, c, false, true, 1.0, 0.0);
            }
        }

        @Override
        public void close() {
            for (INDArray b : blocks) b.close();
            probes.close();
            out.close();
        }
    }

    /** ND4J's sgemm rate on the shape exact search multiplies ([m, k] by [n, k] transposed), best of a few runs. */
    public static double sgemmGflops(int m, int n, int k) {
        try (INDArray a = Nd4j.rand(DataType.FLOAT, m, k); INDArray b = Nd4j.rand(DataType.FLOAT, n, k); INDArray c = Nd4j.create(DataType.FLOAT, m, n)) {
            Nd4j.gemm(a, b, c, false, true, 1.0, 0.0);
            double best = 0;
            for (int rep = 0; rep < 8; rep++) {
                long t0 = System.nanoTime();
                Nd4j.gemm(a, b, c, false, true, 1.0, 0.0);
                best = Math.max(best, gflops(m, n, k, System.nanoTime() - t0));
            }
            return best;
        }
    }

    private static double gflops(long m, long n, long k, long nanos) {
        return 2.0 * m * n * k / nanos;
    }

    /** A gallery of {@code n} unit vectors: clustered ({@link #PER_IDENTITY} per identity) or uniformly random. */
    static Gallery synthetic(int n, int dim, boolean random, Random r, float[][] centres) {
        Gallery.Builder b = Gallery.builder(FINGERPRINT, "none", dim);
        for (int c = 0; c < centres.length; c++) centres[c] = gaussian(dim, r, 1);
        for (int i = 0; i < n; i++) {
            int id = i / PER_IDENTITY % centres.length;
            float[] v = random ? gaussian(dim, r, 1) : noisy(centres[id], r);
            b.add("id" + id, "id" + id + "/" + i, v);
        }
        return b.build();
    }

    private static float[][] probes(int count, int dim, boolean random, Random r, float[][] centres) {
        float[][] q = new float[count][];
        for (int i = 0; i < count; i++) q[i] = random ? gaussian(dim, r, 1) : noisy(centres[r.nextInt(centres.length)], r);
        return q;
    }

    /** A face-like spread: a same-identity cosine of about 0.6 to the centre's other samples. */
    private static float[] noisy(float[] centre, Random r) {
        float[] v = gaussian(centre.length, r, 0.8f);
        for (int i = 0; i < v.length; i++) v[i] += centre[i];
        return v;
    }

    private static float[] gaussian(int dim, Random r, float scale) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) v[i] = scale * (float) r.nextGaussian();
        return v;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
