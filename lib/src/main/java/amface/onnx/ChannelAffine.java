package amface.onnx;

/**
 * An inference batch norm as what it computes, {@code y[c] = scale[c] * x[c] + shift[c]} with
 * {@code scale = gamma / sqrt(var + eps)} and {@code shift = beta - mean * scale}, and the folds of it into the
 * linear operators next to it. Computed in double and rounded to float once, at the end.
 *
 * <p>Which folds are exact: a batch norm <em>after</em> a convolution or a Gemm always is (it scales output rows).
 * One <em>before</em> a Gemm is too (it scales input columns and adds a constant). One before a zero-padded
 * convolution is not: the padding zeros would pass through the batch norm's shift in the original network but not
 * in the folded one, so the border outputs would differ. Such a batch norm (the L-ResNet-E-IR and IResNet units
 * open with one) stays a BatchNormalization node.
 */
record ChannelAffine(double[] scale, double[] shift) {

    /** The affine map of a batch norm with these parameters and running statistics. */
    static ChannelAffine ofBatchNorm(double[] gamma, double[] beta, double[] mean, double[] var, double eps) {
        int c = gamma.length;
        double[] scale = new double[c], shift = new double[c];
        for (int k = 0; k < c; k++) {
            scale[k] = gamma[k] / Math.sqrt(var[k] + eps);
            shift[k] = beta[k] - mean[k] * scale[k];
        }
        return new ChannelAffine(scale, shift);
    }

    int channels() {
        return scale.length;
    }

    /**
     * This map applied after a linear operator with {@code weights.rows()} output channels (a convolution's OIHW
     * weights, a Gemm's [out, in]): every row and its bias scaled, the shift added to the bias.
     */
    Linear afterLinear(Linear linear) {
        int c = channels(), perRow = linear.columns();
        if (linear.rows() != c) throw new IllegalArgumentException(linear.rows() + " output channels, the batch norm has " + c);
        double[] w = new double[linear.weights().length];
        double[] b = new double[c];
        for (int o = 0; o < c; o++) {
            for (int i = 0, at = o * perRow; i < perRow; i++, at++) w[at] = linear.weights()[at] * scale[o];
            b[o] = linear.bias()[o] * scale[o] + shift[o];
        }
        return new Linear(w, b);
    }

    /**
     * This map applied before a Gemm whose input column {@code i} belongs to channel {@code channelOf[i]}:
     * {@code W' = W diag(scale)}, {@code b' = b + W shift}.
     */
    Linear beforeGemm(Linear gemm, int[] channelOf) {
        int in = gemm.columns(), out = gemm.rows();
        if (channelOf.length != in) throw new IllegalArgumentException(in + " Gemm inputs, " + channelOf.length + " channel indices");
        double[] w = new double[gemm.weights().length];
        double[] b = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = gemm.bias()[o];
            for (int i = 0, at = o * in; i < in; i++, at++) {
                int ch = channelOf[i];
                w[at] = gemm.weights()[at] * scale[ch];
                sum += gemm.weights()[at] * shift[ch];
            }
            b[o] = sum;
        }
        return new Linear(w, b);
    }

    /**
     * Weights of a linear operator with one row per output channel (OIHW convolution weights, row-major
     * [out, in] Gemm weights) and a bias per output channel, in double until written.
     */
    record Linear(double[] weights, double[] bias) {
        Linear {
            if (bias.length == 0 || weights.length % bias.length != 0) {
                throw new IllegalArgumentException(weights.length + " weights do not split into " + bias.length + " rows");
            }
        }

        int rows() {
            return bias.length;
        }

        int columns() {
            return weights.length / bias.length;
        }

        float[] floatWeights() {
            return BatchNormParams.floats(weights);
        }

        float[] floatBias() {
            return BatchNormParams.floats(bias);
        }
    }
}
