package amface.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * The constant float tensors of an ONNX graph (its initializers, its Constant nodes' values, and what an Unsqueeze
 * or Identity node makes of a constant, as an export without constant folding writes for PRelu slopes), read as
 * plain data: dims and float32 values, from {@code raw_data} (little-endian, as ONNX stores it) or
 * {@code float_data}.
 */
final class OnnxConstants {
    /** A constant tensor. */
    record Tensor(long[] dims, float[] values) {
        long length() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }
    }

    private final Map<String, TensorProto> protos = new HashMap<>();
    private final Map<String, Tensor> read = new HashMap<>();
    /** Unsqueeze / Identity outputs of constants: the source tensor's name and the new dims (null: unchanged). */
    private final Map<String, Map.Entry<String, long[]>> reshaped = new HashMap<>();
    private final Set<NodeProto> nodes = new HashSet<>();

    OnnxConstants(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) protos.put(t.getName(), t);
        for (NodeProto n : graph.getNodeList()) { // in topological order, so a node's constant inputs are known
            String op = n.getOpType();
            if (op.equals("Constant")) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) protos.put(n.getOutput(0), a.getT());
                }
                nodes.add(n);
            } else if ((op.equals("Identity") || op.equals("Unsqueeze") && n.getInputCount() == 1) && has(n.getInput(0))) {
                long[] axes = null;
                for (AttributeProto a : n.getAttributeList()) if (a.getName().equals("axes")) axes = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                reshaped.put(n.getOutput(0), Map.entry(n.getInput(0), axes == null ? new long[0] : axes));
                nodes.add(n);
            }
        }
    }

    boolean has(String name) {
        return protos.containsKey(name) || reshaped.containsKey(name);
    }

    /** The nodes that only compute constants (Constant, and Unsqueeze or Identity of a constant). */
    Set<NodeProto> constantNodes() {
        return nodes;
    }

    /** The tensor {@code name}, or null when the graph has no such constant. */
    Tensor get(String name) {
        Tensor cached = read.get(name);
        if (cached != null) return cached;
        Map.Entry<String, long[]> r = reshaped.get(name);
        if (r != null) {
            Tensor source = get(r.getKey());
            long[] dims = source.dims();
            for (long axis : r.getValue()) { // Unsqueeze: a 1 inserted at each axis, in increasing order
                long[] d = new long[dims.length + 1];
                int at = (int) (axis < 0 ? axis + d.length : axis);
                for (int i = 0, j = 0; i < d.length; i++) d[i] = i == at ? 1 : dims[j++];
                dims = d;
            }
            Tensor out = new Tensor(dims, source.values());
            read.put(name, out);
            return out;
        }
        TensorProto t = protos.get(name);
        if (t == null) return null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("tensor '" + name + "' is stored in an external file, which this importer does not read");
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("tensor '" + name + "' has ONNX data type " + t.getDataType() + ", float32 (1) expected");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : dims) n *= d;
        float[] values;
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != n * Float.BYTES) {
                throw new IllegalArgumentException("tensor '" + name + "' holds " + t.getRawData().size() + " bytes for " + n + " floats (truncated file?)");
            }
            values = new float[(int) n];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            if (t.getFloatDataCount() != n) {
                throw new IllegalArgumentException("tensor '" + name + "' holds " + t.getFloatDataCount() + " floats for dims of " + n + " (truncated file?)");
            }
            values = new float[(int) n];
            for (int i = 0; i < n; i++) values[i] = t.getFloatData(i);
        }
        Tensor out = new Tensor(dims, values);
        read.put(name, out);
        return out;
    }
}
