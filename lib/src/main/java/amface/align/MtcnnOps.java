package amface.align;

import java.io.IOException;
import java.nio.FloatBuffer;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import amface.nn.layers.OneDnn;
import amface.nn.layers.OneDnnChain;

/**
 * The few inference-only layers of MTCNN, for images in their natural orientation (rows = image y): each runs as
 * an ND4J op on NCHW tensors, or is appended to the net's {@link OneDnnChain} (the CPU path, NHWC throughout);
 * {@link MtcnnNet} lists a net's layers once for both. facenet's weights were trained (in Caffe) on transposed images; transposing every kernel and
 * reordering the dense inputs once at load time lets the networks run on untransposed images and give the same
 * numbers, because max-pooling with square windows is symmetric under the transpose.
 */
final class MtcnnOps {
    private MtcnnOps() { }

    /** One layer of a net, runnable both ways (see {@link MtcnnNet}). */
    sealed interface Layer permits Conv, PRelu, MaxPool, Dense {
        /** The layer as ND4J ops on an NCHW (or, for dense layers, {@code [N, C]}) array. */
        INDArray apply(INDArray x);

        /** Adds the layer to a oneDNN chain. */
        void appendTo(OneDnnChain.Builder chain);
    }

    /** A convolution layer: weights YXIO {@code [k, k, in, out]} for natural orientation, bias {@code [out]}. */
    static final class Conv implements Layer {
        private final INDArray weights;
        private final INDArray bias;
        private final int kernel;

        Conv(INDArray weights, INDArray bias, int kernel) {
            this.weights = weights;
            this.bias = bias;
            this.kernel = kernel;
        }

        @Override
        public INDArray apply(INDArray x) {
            Conv2DConfig c = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(1).sW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
            return Nd4j.cnn().conv2d(x, weights, bias, c);
        }

        /** The chain takes the weights as {@code [out, in, k, k]}. */
        @Override
        public void appendTo(OneDnnChain.Builder chain) {
            INDArray oihw = weights.permute(3, 2, 0, 1);
            chain.conv(kernel, (int) oihw.size(0), floats(oihw), floats(bias));
        }
    }

    /**
     * PReLU with one slope per channel (axis 1), for NCHW or {@code [N, C]} inputs: max(x, 0) + alpha * min(x, 0),
     * applied in place to a freshly computed layer output. Done in Java on the native buffer: libnd4j's prelu op
     * is 7x and a composition of four ND4J ops 5x slower here (measured on P-Net's first layer).
     */
    record PRelu(float[] alpha) implements Layer {
        @Override
        public INDArray apply(INDArray x) {
            INDArray y = x.ordering() == 'c' && !x.isView() && x.data().length() == x.length() ? x : x.dup('c');
            FloatBuffer b = y.data().asNioFloat();
            int channels = alpha.length;
            int plane = (int) (y.length() / y.size(0) / channels);
            int n = (int) y.length();
            for (int start = 0, c = 0; start < n; start += plane, c = (c + 1) % channels) {
                float a = alpha[c];
                for (int i = start, end = start + plane; i < end; i++) {
                    float v = b.get(i);
                    if (v < 0) b.put(i, v * a);
                }
            }
            return y;
        }

        @Override
        public void appendTo(OneDnnChain.Builder chain) {
            chain.prelu(alpha);
        }
    }

    /** Max-pooling over square windows with facenet's SAME or VALID padding. */
    record MaxPool(int kernel, int stride, boolean same) implements Layer {
        @Override
        public INDArray apply(INDArray x) {
            Pooling2DConfig c = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
            return Nd4j.cnn().maxPooling2d(x, c);
        }

        @Override
        public void appendTo(OneDnnChain.Builder chain) {
            chain.maxPool(kernel, stride, same);
        }
    }

    /** A dense layer whose inputs are the flattened NCHW activations; weights {@code [in, out]}, bias {@code [out]}. */
    record Dense(INDArray weights, INDArray bias) implements Layer {
        @Override
        public INDArray apply(INDArray x) {
            INDArray flat = x.rank() == 2 ? x : x.reshape('c', x.size(0), weights.size(0));
            return Nd4j.exec(DynamicCustomOp.builder("xw_plus_b").addInputs(flat, weights, bias).build())[0];
        }

        /** The chain takes the weights as {@code [out][in]}. */
        @Override
        public void appendTo(OneDnnChain.Builder chain) {
            chain.dense((int) weights.size(1), floats(weights.transpose()), floats(bias));
        }
    }

    /** Whether the nets run as oneDNN chains (else as ND4J ops, e.g. on the GPU backend). */
    static boolean chains() {
        return OneDnn.usable();
    }

    /** Largest batch a R-Net or O-Net chain runs at once. */
    static final int MAX_CHUNK = 64;

    /**
     * Runs {@code chain} on {@code n} NHWC crops of {@code side x side x 3} in chunks whose sizes are powers of two
     * (n = 13 runs 8, 4 and 1), so each thread makes at most seven plans per net whatever the candidate counts;
     * returns the {@code [n, width]} outputs.
     */
    static float[] chunked(OneDnnChain chain, float[] nhwc, int n, int side, int width) {
        int image = side * side * 3;
        float[] out = new float[n * width];
        int done = 0;
        while (done < n) {
            int chunk = Math.min(MAX_CHUNK, Integer.highestOneBit(n - done));
            float[] x = done == 0 && chunk == n ? nhwc : java.util.Arrays.copyOfRange(nhwc, done * image, (done + chunk) * image);
            float[] y = chain.forward(x, chunk, side, side).values();
            System.arraycopy(y, 0, out, done * width, chunk * width);
            done += chunk;
        }
        return out;
    }

    /** NCHW {@code [n, c, h, w]} to NHWC, as floats. */
    static float[] nhwc(INDArray x) {
        return floats(x.permute(0, 2, 3, 1));
    }

    /** NHWC floats {@code [n, h, w, c]} to an NCHW array. */
    static INDArray nchw(float[] x, int n, int h, int w, int c) {
        return array(x, n, h, w, c).permute(0, 3, 1, 2).dup('c');
    }

    /**
     * Two-class softmax over the channel axis (1) of logits {@code [N, 2, ...]}, computed here rather than as
     * five ND4J ops (its softmax op also gave wrong values for axis 1 of 4-d input in M2.1).
     */
    static float[] softmax2(float[] logits, long n, long plane) {
        float[] p = new float[logits.length];
        for (long k = 0; k < n; k++) {
            int base = (int) (k * 2 * plane);
            for (int i = 0; i < plane; i++) {
                float a = logits[base + i], b = logits[base + (int) plane + i];
                float m = Math.max(a, b);
                double ea = Math.exp(a - m), eb = Math.exp(b - m);
                p[base + i] = (float) (ea / (ea + eb));
                p[base + (int) plane + i] = (float) (eb / (ea + eb));
            }
        }
        return p;
    }

    /** The values of {@code a} in C order. */
    static float[] floats(INDArray a) {
        // a permuted array can be neither a view nor C-strided: compare the strides themselves
        boolean dense = a.ordering() == 'c' && !a.isView() && a.offset() == 0
            && java.util.Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'));
        INDArray c = dense ? a : a.dup('c');
        float[] v = c.data().asFloat();
        return v.length == c.length() ? v : java.util.Arrays.copyOf(v, (int) c.length());
    }

    /** A C-order float array of {@code shape}, copied in bulk. */
    static INDArray array(float[] values, long... shape) {
        return Nd4j.createFromArray(values).reshape('c', shape);
    }

    /** Columns {@code [from, from + count)} of a row-major {@code [n, width]} matrix. */
    static float[] columns(float[] m, int n, int width, int from, int count) {
        float[] out = new float[n * count];
        for (int i = 0; i < n; i++) System.arraycopy(m, i * width + from, out, i * count, count);
        return out;
    }

    /** Loads {@code layer}: facenet's {@code [kh, kw, in, out]} on transposed images, turned for natural ones. */
    static Conv conv(MtcnnWeights w, String layer, int kernel, int in, int out) throws IOException {
        float[] k = w.get(layer, "weights", kernel, kernel, in, out);
        float[] t = new float[k.length];
        for (int a = 0; a < kernel; a++) {
            for (int b = 0; b < kernel; b++) {
                System.arraycopy(k, ((a * kernel) + b) * in * out, t, ((b * kernel) + a) * in * out, in * out);
            }
        }
        return new Conv(array(t, kernel, kernel, in, out), array(w.get(layer, "biases", out), out), kernel);
    }

    /** Several 1x1 convolutions on the same input as one, their output channels side by side. */
    static Conv mergedConv1x1(MtcnnWeights w, int in, String[] layers, int[] outs) throws IOException {
        float[][] kb = merged(w, in, layers, outs, true);
        return new Conv(array(kb[0], 1, 1, in, kb[1].length), array(kb[1], kb[1].length), 1);
    }

    /** Several dense layers on the same input as one, their outputs side by side. */
    static Dense mergedDense(MtcnnWeights w, int in, String[] layers, int[] outs) throws IOException {
        float[][] kb = merged(w, in, layers, outs, false);
        return new Dense(array(kb[0], in, kb[1].length), array(kb[1], kb[1].length));
    }

    /** The weights {@code [in, sum(outs)]} and biases of layers on one input, stored as 1x1 convolutions or dense. */
    private static float[][] merged(MtcnnWeights w, int in, String[] layers, int[] outs, boolean conv1x1)
            throws IOException {
        int total = java.util.Arrays.stream(outs).sum();
        float[] k = new float[in * total];
        float[] b = new float[total];
        int at = 0;
        for (int l = 0; l < layers.length; l++) {
            float[] kl = conv1x1 ? w.get(layers[l], "weights", 1, 1, in, outs[l]) : w.get(layers[l], "weights", in, outs[l]);
            for (int i = 0; i < in; i++) System.arraycopy(kl, i * outs[l], k, i * total + at, outs[l]);
            System.arraycopy(w.get(layers[l], "biases", outs[l]), 0, b, at, outs[l]);
            at += outs[l];
        }
        return new float[][] {k, b};
    }

    static PRelu prelu(MtcnnWeights w, String layer, int channels) throws IOException {
        return new PRelu(w.get(layer, "alpha", channels));
    }

    static MaxPool maxPool(int kernel, int stride, boolean same) {
        return new MaxPool(kernel, stride, same);
    }

    /**
     * Loads a dense layer fed by a {@code side x side x channels} map: facenet flattens the transposed NHWC map
     * (image x, image y, channel); this network flattens natural NCHW (channel, image y, image x).
     */
    static Dense denseFromMap(MtcnnWeights w, String layer, int side, int channels, int out) throws IOException {
        int in = side * side * channels;
        float[] k = w.get(layer, "weights", in, out);
        float[] t = new float[k.length];
        for (int x = 0; x < side; x++) {
            for (int y = 0; y < side; y++) {
                for (int c = 0; c < channels; c++) {
                    int from = (x * side + y) * channels + c;
                    int to = (c * side + y) * side + x;
                    System.arraycopy(k, from * out, t, to * out, out);
                }
            }
        }
        return new Dense(array(t, in, out), array(w.get(layer, "biases", out), out));
    }
}
