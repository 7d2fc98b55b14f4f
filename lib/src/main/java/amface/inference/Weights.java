package amface.inference;

import java.util.List;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/** Constant operands (weights, biases, slopes) as oneDNN memories in the layout and type a primitive chose. */
final class Weights {
    private Weights() {
    }

    /** {@code values} (f32 in {@code tag} order), reordered once into {@code wanted} (any type) when given. */
    static memory floats(long[] dims, memory.format_tag tag, float[] values, memory.desc wanted, List<Object> keep) {
        FloatPointer p = new FloatPointer(values.length);
        p.put(values);
        keep.add(p);
        memory m = new memory(new memory.desc(dims, memory.data_type.f32, tag), Dnnl.engine(), p);
        keep.add(m);
        return wanted == null ? m : reordered(m, wanted, keep);
    }

    /** OIHW weights quantized per output channel ({@code q = round(w * scale[o])}, |q| <= 127), reordered into {@code wanted}. */
    static memory s8(long[] dims, float[] w, float[] scale, memory.desc wanted, List<Object> keep) {
        int per = w.length / scale.length;
        byte[] q = new byte[w.length];
        for (int o = 0, at = 0; o < scale.length; o++) {
            for (int i = 0; i < per; i++, at++) q[at] = (byte) Math.max(-127, Math.min(127, Math.round(w[at] * scale[o])));
        }
        BytePointer p = new BytePointer(q.length);
        p.put(q);
        keep.add(p);
        memory m = new memory(new memory.desc(dims, memory.data_type.s8, memory.format_tag.oihw), Dnnl.engine(), p);
        keep.add(m);
        return reordered(m, wanted, keep);
    }

    private static memory reordered(memory from, memory.desc wanted, List<Object> keep) {
        if (from.get_desc().equals(wanted)) return from;
        memory to = new memory(wanted, Dnnl.engine());
        keep.add(to);
        IntMemoryMap args = new IntMemoryMap();
        args.put(dnnl.DNNL_ARG_FROM, from);
        args.put(dnnl.DNNL_ARG_TO, to);
        new reorder(from, to).execute(Dnnl.stream(), args);
        Dnnl.stream()._wait();
        return to;
    }
}
