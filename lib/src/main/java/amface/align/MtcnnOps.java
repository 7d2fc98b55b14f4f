package amface.align;

import java.io.IOException;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few inference-only layers of MTCNN on ND4J, for NCHW tensors of images in their natural orientation
 * (rows = image y). facenet's weights were trained (in Caffe) on transposed images; transposing every kernel and
 * reordering the dense inputs once at load time lets the networks run on untransposed images and give the same
 * numbers, because max-pooling with square windows is symmetric under the transpose.
 */
final class MtcnnOps {
    private MtcnnOps() { }

    /** A convolution layer: weights YXIO {@code [k, k, in, out]} for natural orientation, bias {@code [out]}. */
    record Conv(INDArray weights, INDArray bias, int kernel) {
        INDArray apply(INDArray x) {
            Conv2DConfig c = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(1).sW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
            return Nd4j.cnn().conv2d(x, weights, bias, c);
        }
    }

    /** PReLU with one slope per channel, for NCHW ({@code spatial}) or {@code [N, C]} inputs. */
    record PRelu(INDArray alphaSpatial, INDArray alphaFlat) {
        INDArray apply(INDArray x) {
            if (x.rank() == 4) return Nd4j.nn().prelu(x, alphaSpatial, 2, 3);
            return Nd4j.nn().prelu(x, alphaFlat, 1);
        }
    }

    /** A dense layer whose inputs are the flattened NCHW activations; weights {@code [in, out]}. */
    record Dense(INDArray weights, INDArray bias) {
        INDArray apply(INDArray x) {
            INDArray flat = x.rank() == 2 ? x : x.reshape('c', x.size(0), weights.size(0));
            return flat.mmul(weights).addiRowVector(bias);
        }
    }

    static INDArray maxPool(INDArray x, int kernel, int stride, boolean same) {
        Pooling2DConfig c = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
            .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
        return Nd4j.cnn().maxPooling2d(x, c);
    }

    static INDArray softmax(INDArray x) {
        return Nd4j.nn().softmax(x, 1);
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
        INDArray weights = Nd4j.create(t, new long[] {kernel, kernel, in, out}, DataType.FLOAT);
        INDArray bias = Nd4j.create(w.get(layer, "biases", out), new long[] {out}, DataType.FLOAT);
        return new Conv(weights, bias, kernel);
    }

    static PRelu prelu(MtcnnWeights w, String layer, int channels) throws IOException {
        float[] a = w.get(layer, "alpha", channels);
        return new PRelu(Nd4j.create(a, new long[] {channels, 1, 1}, DataType.FLOAT), Nd4j.create(a, new long[] {channels}, DataType.FLOAT));
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
        return new Dense(Nd4j.create(t, new long[] {in, out}, DataType.FLOAT), Nd4j.create(w.get(layer, "biases", out), new long[] {1, out}, DataType.FLOAT));
    }

    static Dense dense(MtcnnWeights w, String layer, int in, int out) throws IOException {
        return new Dense(Nd4j.create(w.get(layer, "weights", in, out), new long[] {in, out}, DataType.FLOAT),
            Nd4j.create(w.get(layer, "biases", out), new long[] {1, out}, DataType.FLOAT));
    }
}
