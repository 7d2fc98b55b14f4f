package amface.gallery;

import java.util.HashMap;
import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;

import amface.nn.layers.OneDnn;
import amface.nn.layers.Precision;

/**
 * The scores of exact search as a oneDNN matmul with bfloat16 inputs and float32 output: probes [q, d] by a gallery
 * block transposed ([rows, d] row-major is the {@code ba} layout of [d, rows]), on AVX512-BF16's dot-product
 * instructions (or AMX). The gallery is converted to bf16 once (round to nearest even), halving the bytes read per
 * score; the products of bf16 values are exact in f32 and summed in f32, so a score differs from fp32's by the
 * rounding of the inputs only (each value keeps 8 significant bits: a cosine moves by about 2^-9 at most, typically
 * far less). One primitive per shape (probe count, block rows), created on first use and kept.
 */
final class Bf16Matmul implements AutoCloseable {
    private final Gallery gallery;
    private final int dimension;
    private final ShortPointer[] blocks;
    private final memory[] blockMemory;
    private final Map<Long, Shape> shapes = new HashMap<>();
    private final stream stream;
    private ShortPointer probes;
    private FloatPointer scores;

    /** A primitive and the memories its arguments live in, for one (probes, rows) shape. */
    private record Shape(matmul prim, memory src, memory dst) { }

    /** Why bf16 exact search cannot run here (no oneDNN, no AVX512-BF16 or AMX), or null. */
    static String problem() {
        return Precision.bf16Problem();
    }

    Bf16Matmul(Gallery gallery, int maxProbes) {
        String why = problem();
        if (why != null) throw new IllegalArgumentException("bf16 exact search is not available here: " + why + "; use fp32");
        this.gallery = gallery;
        this.dimension = gallery.dimension();
        this.stream = new stream(engine());
        float[][] f = gallery.blocks();
        blocks = new ShortPointer[f.length];
        blockMemory = new memory[f.length];
        for (int b = 0; b < f.length; b++) {
            blocks[b] = new ShortPointer(f[b].length);
            short[] h = new short[f[b].length];
            for (int i = 0; i < h.length; i++) h[i] = toBf16(f[b][i]);
            blocks[b].put(h);
            long rows = gallery.rowsIn(b);
            blockMemory[b] = new memory(new memory.desc(new long[] {dimension, rows}, memory.data_type.bf16, memory.format_tag.ba), engine(), blocks[b]);
        }
        probes = new ShortPointer((long) maxProbes * dimension);
        scores = new FloatPointer((long) maxProbes * Gallery.BLOCK);
    }

    private static engine engine() {
        return OneDnn.engine();
    }

    /** bfloat16 of {@code v}, rounded to nearest even (the vectors are finite). */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    static float fromBf16(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /** Loads probes {@code from..to} (unit vectors) as bf16 for the next {@link #scores} calls. */
    void loadProbes(float[][] p, int from, int to) {
        short[] h = new short[(to - from) * dimension];
        for (int i = from; i < to; i++) for (int j = 0; j < dimension; j++) h[(i - from) * dimension + j] = toBf16(p[i][j]);
        probes.position(0).put(h);
    }

    /** The scores of the loaded {@code q} probes against block {@code b}, into {@code out} ([q, rows] row-major). */
    synchronized void scores(int q, int b, float[] out) {
        int rows = gallery.rowsIn(b);
        Shape s = shapes.computeIfAbsent(((long) q << 32) | rows, k -> shape(q, rows));
        IntMemoryMap args = new IntMemoryMap();
        args.put(dnnl.DNNL_ARG_SRC, s.src());
        args.put(dnnl.DNNL_ARG_WEIGHTS, blockMemory[b]);
        args.put(dnnl.DNNL_ARG_DST, s.dst());
        s.prim().execute(stream, args);
        stream._wait();
        args.close();
        scores.position(0).get(out, 0, q * rows);
    }

    private Shape shape(int q, int rows) {
        memory.desc src = new memory.desc(new long[] {q, dimension}, memory.data_type.bf16, memory.format_tag.ab);
        memory.desc wei = new memory.desc(new long[] {dimension, rows}, memory.data_type.bf16, memory.format_tag.ba);
        memory.desc dst = new memory.desc(new long[] {q, rows}, memory.data_type.f32, memory.format_tag.ab);
        matmul.primitive_desc pd = new matmul.primitive_desc(new matmul.desc(src, wei, dst), engine());
        return new Shape(new matmul(pd), new memory(src, engine(), probes), new memory(dst, engine(), scores));
    }

    /** oneDNN's implementation name for a shape (brgemm:avx512_core_bf16 and the like), for tests and reports. */
    synchronized String implementation(int q) {
        memory.desc src = new memory.desc(new long[] {q, dimension}, memory.data_type.bf16, memory.format_tag.ab);
        memory.desc wei = new memory.desc(new long[] {dimension, gallery.rowsIn(0)}, memory.data_type.bf16, memory.format_tag.ba);
        memory.desc dst = new memory.desc(new long[] {q, gallery.rowsIn(0)}, memory.data_type.f32, memory.format_tag.ab);
        try (matmul.primitive_desc pd = new matmul.primitive_desc(new matmul.desc(src, wei, dst), engine())) {
            return pd.impl_info_str().getString();
        }
    }

    @Override
    public synchronized void close() {
        for (Shape s : shapes.values()) {
            s.prim().close();
            s.src().close();
            s.dst().close();
        }
        shapes.clear();
        for (memory m : blockMemory) if (m != null) m.close();
        for (ShortPointer p : blocks) if (p != null) p.close();
        if (probes != null) probes.close();
        if (scores != null) scores.close();
        probes = null;
        scores = null;
        stream.close();
    }
}
