package amface.onnx;

/** The parameters and running statistics of one inference batch norm, per channel, as read from a model. */
record BatchNormParams(double[] gamma, double[] beta, double[] mean, double[] var, double epsilon) {

    BatchNormParams {
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            throw new IllegalArgumentException("batch norm with " + c + " gammas, " + beta.length + " betas, " + mean.length
                + " means and " + var.length + " variances");
        }
    }

    /** What this batch norm computes at inference, as a per-channel scale and shift. */
    ChannelAffine affine() {
        return ChannelAffine.ofBatchNorm(gamma, beta, mean, var, epsilon);
    }

    /** Writes it as a BatchNormalization node (for the batch norms no fold may absorb). */
    String writeTo(OnnxGraphWriter g, String name, String input) {
        return g.batchNorm(name, input, floats(gamma), floats(beta), floats(mean), floats(var), epsilon);
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
