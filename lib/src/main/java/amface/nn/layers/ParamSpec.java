package amface.nn.layers;

/** One parameter of an amface layer: its name, shape and role (which decides updater and regularisation). */
record ParamSpec(String name, long[] shape, Role role) {

    enum Role {
        /** Convolution or dense weights: the configured updater and weight regularisation. */
        WEIGHT,
        /** BN gamma/beta, PReLU alpha, biases: the configured (bias) updater, bias regularisation. */
        BIAS,
        /** BN running mean/variance: updated in the forward pass, never by an updater. */
        STATISTIC
    }

    long length() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}
