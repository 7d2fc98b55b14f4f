package amface.gallery;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact top-k search: every probe scored against every gallery vector by blocked matrix products in float32, the
 * k best kept by a heap. Probes go in batches of {@link #PROBE_BATCH}, so that each gallery block is read once per
 * batch and the work is a matrix-matrix product (compute-bound), not one matrix-vector product per probe
 * (memory-bound). Two kernels: {@link Kernel#ND4J} (OpenBLAS/oneDNN sgemm through ND4J, the default: it reaches
 * the machine's matrix-multiply rate) and {@link Kernel#JAVA} (plain loops over transposed tiles that the JIT turns
 * into SIMD instructions, no native code), measured side by side by {@link SearchBenchmark}; and, chosen explicitly,
 * {@link Kernel#BF16} (a oneDNN matmul on bfloat16 inputs where the CPU has AVX512-BF16 or AMX, f32 scores).
 * <pre>{@code
 * try (ExactSearch s = ExactSearch.of(gallery)) {            // .withKernel(Kernel.JAVA)
 *     List<SearchHit> top5 = s.search(probe, 5);
 * }
 * }</pre>
 */
public final class ExactSearch implements SearchEngine {
    /** Probes multiplied against a gallery block at once. */
    public static final int PROBE_BATCH = 256;
    /** Gallery rows per transposed tile of the Java kernel: four probes' score rows stay in the L1 cache. */
    private static final int TILE = 512;

    /** How the scores are computed. */
    public enum Kernel {
        /** sgemm through ND4J (OpenBLAS or oneDNN), gallery blocks held off-heap. */
        ND4J,
        /** Plain Java over transposed gallery tiles (saxpy loops the JIT vectorises), on the common fork-join pool. */
        JAVA,
        /**
         * A oneDNN matmul with bfloat16 probes and gallery and float32 scores (AVX512-BF16 or AMX only; refused
         * elsewhere): half the bytes per score; scores within about 2^-9 of fp32's, so near-ties may swap ranks.
         */
        BF16;

        /** The kernel of a CLI precision: {@code fp32} (ND4J sgemm) or {@code bf16}. */
        public static Kernel ofPrecision(String precision) {
            return switch (precision.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "fp32" -> ND4J;
                case "bf16" -> BF16;
                default -> throw new IllegalArgumentException("unknown precision '" + precision + "' (use fp32 or bf16)");
            };
        }
    }

    /** Why the {@link Kernel#BF16} kernel cannot run here, or null when it can. */
    public static String bf16Problem() {
        return Bf16Matmul.problem();
    }

    private final Gallery gallery;
    private final Kernel kernel;
    private List<INDArray> ndBlocks;
    private float[][] tiles;
    private Bf16Matmul bf16;

    private ExactSearch(Gallery gallery, Kernel kernel) {
        this.gallery = gallery;
        this.kernel = kernel;
    }

    /** Exact search over {@code gallery} with the ND4J kernel. */
    public static ExactSearch of(Gallery gallery) {
        return new ExactSearch(gallery, Kernel.ND4J);
    }

    /** The same search with kernel {@code k}; {@link Kernel#BF16} where the CPU has no bf16 is an IllegalArgumentException. */
    public ExactSearch withKernel(Kernel k) {
        if (k == Kernel.BF16 && bf16Problem() != null) throw new IllegalArgumentException("bf16 exact search is not available here: " + bf16Problem() + "; use fp32");
        return new ExactSearch(gallery, k);
    }

    public Kernel kernel() { return kernel; }

    @Override
    public String name() { return kernel == Kernel.BF16 ? "exact (bf16, oneDNN matmul)" : "exact (" + kernel.name().toLowerCase(java.util.Locale.ROOT) + ")"; }

    @Override
    public List<List<SearchHit>> search(float[][] probes, int k) {
        float[][] p = Vectors.probes(probes, gallery.dimension());
        int kk = Math.min(k, gallery.size());
        TopK[] tops = new TopK[p.length];
        for (int i = 0; i < p.length; i++) tops[i] = new TopK(kk);
        for (int from = 0; from < p.length; from += PROBE_BATCH) {
            int to = Math.min(p.length, from + PROBE_BATCH);
            if (kernel == Kernel.ND4J) searchNd4j(p, from, to, tops);
            else if (kernel == Kernel.BF16) searchBf16(p, from, to, tops);
            else searchJava(p, from, to, tops);
        }
        List<List<SearchHit>> out = new ArrayList<>(p.length);
        for (TopK t : tops) out.add(hits(gallery, t));
        return out;
    }

    /** The hits of a finished heap, best first. */
    static List<SearchHit> hits(Gallery g, TopK t) {
        float[] s = new float[t.size()];
        int[] rows = t.sortedRows(s);
        List<SearchHit> h = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) h.add(new SearchHit(i + 1, g.entry(rows[i]), s[i]));
        return h;
    }

    private void searchNd4j(float[][] p, int from, int to, TopK[] tops) {
        int d = gallery.dimension(), q = to - from;
        List<INDArray> blocks = ndBlocks();
        float[] flat = new float[q * d];
        for (int i = 0; i < q; i++) System.arraycopy(p[from + i], 0, flat, i * d, d);
        INDArray probes = Nd4j.create(flat, new long[] {q, d}, DataType.FLOAT);
        INDArray full = Nd4j.create(DataType.FLOAT, q, Gallery.BLOCK);
        float[] scores = new float[q * Gallery.BLOCK];
        int firstRow = 0;
        for (INDArray block : blocks) {
            int rows = (int) block.rows();
            INDArray s = rows == Gallery.BLOCK ? full : Nd4j.create(DataType.FLOAT, q, rows);
            Nd4j.gemm(probes, block, s, false, true, 1.0, 0.0);          // [q, d] x [rows, d]^T
            FloatBuffer fb = s.data().asNioFloat();
            fb.get(scores, 0, q * rows);
            for (int i = 0; i < q; i++) tops[from + i].offerAll(scores, i * rows, rows, firstRow);
            firstRow += rows;
        }
    }

    private void searchBf16(float[][] p, int from, int to, TopK[] tops) {
        Bf16Matmul m = bf16();
        int q = to - from;
        float[] scores = new float[q * Gallery.BLOCK];
        synchronized (m) {
            m.loadProbes(p, from, to);
            int firstRow = 0;
            for (int b = 0; b < gallery.blocks().length; b++) {
                int rows = gallery.rowsIn(b);
                m.scores(q, b, scores);
                for (int i = 0; i < q; i++) tops[from + i].offerAll(scores, i * rows, rows, firstRow);
                firstRow += rows;
            }
        }
    }

    private synchronized Bf16Matmul bf16() {
        if (bf16 == null) bf16 = new Bf16Matmul(gallery, PROBE_BATCH);
        return bf16;
    }

    /** oneDNN's implementation of the bf16 product for a full probe batch (e.g. {@code brg:avx512_core_bf16}). */
    public String bf16Implementation() {
        return bf16().implementation(Math.min(PROBE_BATCH, 256));
    }

    private synchronized List<INDArray> ndBlocks() {
        if (ndBlocks == null) {
            List<INDArray> b = new ArrayList<>();
            float[][] blocks = gallery.blocks();
            for (int i = 0; i < blocks.length; i++) b.add(Nd4j.create(blocks[i], new long[] {gallery.rowsIn(i), gallery.dimension()}, DataType.FLOAT));
            ndBlocks = b;
        }
        return ndBlocks;
    }

    /** Gallery rows in tiles of {@link #TILE}, each dimension-major: {@code tile[i * TILE + j]} is value i of row j. */
    private synchronized float[][] tiles() {
        if (tiles == null) {
            int d = gallery.dimension(), n = gallery.size();
            float[][] t = new float[(n + TILE - 1) / TILE][];
            for (int ti = 0; ti < t.length; ti++) {
                float[] tile = new float[d * TILE];   // rows past the end stay zero and are never offered
                for (int j = 0; j < TILE && ti * TILE + j < n; j++) {
                    int row = ti * TILE + j;
                    float[] block = gallery.blocks()[row / Gallery.BLOCK];
                    int off = (row % Gallery.BLOCK) * d;
                    for (int i = 0; i < d; i++) tile[i * TILE + j] = block[off + i];
                }
                t[ti] = tile;
            }
            tiles = t;
        }
        return tiles;
    }

    private void searchJava(float[][] p, int from, int to, TopK[] tops) {
        float[][] t = tiles();
        int d = gallery.dimension(), n = gallery.size();
        int groups = (to - from + 3) / 4;
        // Four probes per pass over the gallery: each tile value loaded once feeds four multiply-adds.
        IntStream.range(0, groups).parallel().forEach(g -> {
            int p0 = from + 4 * g, count = Math.min(4, to - p0);
            float[] q0 = p[p0], q1 = p[p0 + Math.min(1, count - 1)], q2 = p[p0 + Math.min(2, count - 1)], q3 = p[p0 + Math.min(3, count - 1)];
            float[] s0 = new float[TILE], s1 = new float[TILE], s2 = new float[TILE], s3 = new float[TILE];
            for (int ti = 0; ti < t.length; ti++) {
                java.util.Arrays.fill(s0, 0); java.util.Arrays.fill(s1, 0); java.util.Arrays.fill(s2, 0); java.util.Arrays.fill(s3, 0);
                float[] tile = t[ti];
                for (int i = 0; i < d; i++) {
                    float a0 = q0[i], a1 = q1[i], a2 = q2[i], a3 = q3[i];
                    int o = i * TILE;
                    for (int j = 0; j < TILE; j++) {
                        float v = tile[o + j];
                        s0[j] += a0 * v;
                        s1[j] += a1 * v;
                        s2[j] += a2 * v;
                        s3[j] += a3 * v;
                    }
                }
                int rows = Math.min(TILE, n - ti * TILE);
                float[][] s = {s0, s1, s2, s3};
                for (int c = 0; c < count; c++) tops[p0 + c].offerAll(s[c], 0, rows, ti * TILE);
            }
        });
    }

    @Override
    public synchronized void close() {
        if (ndBlocks != null) for (INDArray b : ndBlocks) b.close();
        ndBlocks = null;
        tiles = null;
        if (bf16 != null) bf16.close();
        bf16 = null;
    }
}
