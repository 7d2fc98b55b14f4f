package amface.nn.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The double-precision element loops of {@link HostKernels}: what the gradient checks run, and float arrays mixed
 * with double ones. Blocks of whole rows are read into double[] scratch through {@link HostBuffer} (either
 * storage type), processed channel by channel, and written back; plain and exact rather than fast.
 */
final class HostKernelsDouble {
    private HostKernelsDouble() { }

    private static final ThreadLocal<double[][]> BLOCKS = ThreadLocal.withInitial(() -> new double[5][0]);

    /** Five per-thread scratch blocks of at least n doubles. */
    private static double[][] blocks(int n) {
        double[][] b = BLOCKS.get();
        if (b[0].length < n) {
            b = new double[5][n];
            BLOCKS.set(b);
        }
        return b;
    }

    /**
     * 1 for negative z, 0 otherwise, without a branch: the sign of a BN output is a coin flip, and a branch on it
     * mispredicts half the time (that alone made this backward 4x slower).
     */
    private static double negative(double z) {
        return Double.doubleToRawLongBits(z) >>> 63;
    }

    static final HostKernels.Loops LOOPS = new HostKernels.Loops() {
        @Override
        public HostKernels.RowSums moments(INDArray x, int c) {
            HostBuffer xs = HostBuffer.of(x);
            int br = HostKernels.blockRows(c);
            return (from, to, s) -> {
                double[] sum = s[0], sq = s[1];
                double[] xb = blocks(br * c)[0];
                for (int r0 = from; r0 < to; r0 += br) {
                    int n = Math.min(br, to - r0) * c;
                    xs.read(r0 * c, xb, n);
                    for (int base = 0; base < n; base += c) {
                        for (int k = 0; k < c; k++) {
                            double v = xb[base + k];
                            sum[k] += v;
                            sq[k] += v * v;
                        }
                    }
                }
            };
        }

        @Override
        public HostKernels.RowRange affinePrelu(INDArray x, int c, double[] scale, double[] shift, double[] am1,
                                                INDArray out) {
            HostBuffer xs = HostBuffer.of(x), os = HostBuffer.of(out);
            int br = HostKernels.blockRows(c);
            return (task, from, to) -> {
                double[][] b = blocks(br * c);
                double[] xb = b[0], ob = b[1];
                for (int r0 = from; r0 < to; r0 += br) {
                    int n = Math.min(br, to - r0) * c;
                    xs.read(r0 * c, xb, n);
                    for (int base = 0; base < n; base += c) {
                        for (int k = 0; k < c; k++) {
                            // prelu(z) = z + (alpha - 1) * min(z, 0): branch-free, so the loop vectorises
                            double z = xb[base + k] * scale[k] + shift[k];
                            ob[base + k] = z + am1[k] * Math.min(z, 0.0);
                        }
                    }
                    os.write(r0 * c, ob, n);
                }
            };
        }

        @Override
        public HostKernels.Backward backward(INDArray x, int c, HostKernels.Bn bn, INDArray gradOut, INDArray gradX) {
            return new Backward(HostBuffer.of(x), HostBuffer.of(gradOut), HostBuffer.of(gradX), c, bn);
        }
    };

    /** Both passes recompute xhat, z and dz from x and gradOut block by block ({@link #slopes}). */
    private record Backward(HostBuffer x, HostBuffer gradOut, HostBuffer gradX, int c, HostKernels.Bn bn)
            implements HostKernels.Backward {
        @Override
        public void sums(int from, int to, double[][] s) {
            double[] dzSum = s[0], dzxSum = s[1], daSum = s[2];
            int br = HostKernels.blockRows(c);
            double[][] b = blocks(br * c);
            double[] gb = b[1], xh = b[2], zt = b[3], dz = b[4];
            for (int r0 = from; r0 < to; r0 += br) {
                int n = slopes(r0, Math.min(br, to - r0), b);
                for (int base = 0; base < n; base += c) {
                    for (int k = 0; k < c; k++) {
                        int i = base + k;
                        daSum[k] += gb[i] * Math.min(zt[i], 0.0);
                        dzSum[k] += dz[i];
                        dzxSum[k] += dz[i] * xh[i];
                    }
                }
            }
        }

        @Override
        public HostKernels.RowRange input(double[] coef, double[] meanDz, double[] meanDzx) {
            return (task, from, to) -> {
                int br = HostKernels.blockRows(c);
                double[][] b = blocks(br * c);
                double[] ob = b[0], xh = b[2], dz = b[4];
                for (int r0 = from; r0 < to; r0 += br) {
                    int n = slopes(r0, Math.min(br, to - r0), b);
                    for (int base = 0; base < n; base += c) {
                        for (int k = 0; k < c; k++) ob[base + k] = coef[k] * (dz[base + k] - meanDz[k] - xh[base + k] * meanDzx[k]);
                    }
                    gradX.write(r0 * c, ob, n);
                }
            };
        }

        /**
         * Reads {@code rows} rows from {@code r0} into blocks 0 (x) and 1 (gradOut) and fills 2 (xhat), 3 (z) and
         * 4 (dz = g * (z > 0 ? 1 : alpha)); returns the element count.
         */
        private int slopes(int r0, int rows, double[][] b) {
            int n = rows * c;
            double[] xb = b[0], gb = b[1], xh = b[2], zt = b[3], dz = b[4];
            double[] mean = bn.mean(), invStd = bn.invStd(), gamma = bn.gamma(), beta = bn.beta(), am1 = bn.am1();
            x.read(r0 * c, xb, n);
            gradOut.read(r0 * c, gb, n);
            for (int base = 0; base < n; base += c) {
                for (int k = 0; k < c; k++) {
                    int i = base + k;
                    xh[i] = (xb[i] - mean[k]) * invStd[k];
                    zt[i] = xh[i] * gamma[k] + beta[k];
                    dz[i] = gb[i] + am1[k] * gb[i] * negative(zt[i]);
                }
            }
            return n;
        }
    }
}
