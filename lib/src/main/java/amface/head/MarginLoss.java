package amface.head;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The forward and backward pass of a margin-softmax head on one batch, written out by hand so that every head
 * shares one verified code path:
 * <pre>
 *   cos = clip(x^ . W^, -1, 1)      x^ = x/|x|, W^ = W/|W| per class column   (plain softmax: z = x W + b)
 *   f   = cos, with f[y] = margin(cos[y])
 *   z   = s f                       (SphereFace: z = |x| f)
 *   L   = mean_i CE(softmax(z_i), y_i)
 * </pre>
 * Gradients are of the <em>sum</em> of the per-example losses (Deeplearning4j divides by the batch size in the
 * updater). Works in the arrays' data type (float for training, double for the gradient checks).
 */
public final class MarginLoss {
    /** Norms below this are treated as this (as torch.nn.functional.normalize does). */
    static final double NORM_EPS = 1e-12;

    private MarginLoss() { }

    /** What one pass produced; gradient fields are null unless asked for. */
    public record Result(double loss, INDArray lossPerExample, INDArray logits, int correct,
                         INDArray dX, INDArray dW, INDArray dB, double dS) { }

    /**
     * @param x embeddings [batch, dim]
     * @param w class weights [dim, classes]
     * @param bias [1, classes] for plain softmax, else null
     * @param margin null for plain softmax
     * @param s the scale (ignored by plain softmax and SphereFace)
     * @param labels one-hot [batch, classes]
     * @param warm margin warm-up factor in [0, 1]
     * @param step training iteration (for annealing margins)
     */
    public static Result compute(INDArray x, INDArray w, INDArray bias, Margin margin, double s, INDArray labels,
                                 double warm, long step, boolean gradients) {
        long batch = x.size(0);
        if (x.rank() != 2 || w.rank() != 2 || x.size(1) != w.size(0)) {
            throw new IllegalArgumentException("head input " + java.util.Arrays.toString(x.shape()) + " does not fit class weights "
                + java.util.Arrays.toString(w.shape()));
        }
        if (labels.rank() != 2 || labels.size(0) != batch || labels.size(1) != w.size(1)) {
            throw new IllegalArgumentException("labels " + java.util.Arrays.toString(labels.shape()) + " do not fit a batch of "
                + batch + " and " + w.size(1) + " classes");
        }
        labels = labels.castTo(x.dataType());
        if (margin == null) return linear(x, w, bias, labels, gradients);

        // Normalise the embeddings and the class columns.
        INDArray xNorm = x.norm2(1).reshape(batch, 1);
        INDArray xDiv = Transforms.max(xNorm, NORM_EPS, true);
        INDArray xn = x.divColumnVector(xDiv);
        INDArray wNorm = w.norm2(0).reshape(1, w.size(1));
        INDArray wDiv = Transforms.max(wNorm, NORM_EPS, true);
        INDArray wn = w.divRowVector(wDiv);

        INDArray rawCos = xn.mmul(wn);
        INDArray cos = Transforms.min(Transforms.max(rawCos, -1.0, true), 1.0, false);

        // The margin acts on the target cosine only.
        double[] targetCos = cos.mul(labels).sum(1).toDoubleVector();
        double[] delta = new double[(int) batch];
        double[] derivative = new double[(int) batch];
        double[] out = new double[2];
        for (int i = 0; i < batch; i++) {
            margin.target(targetCos[i], warm, step, out);
            delta[i] = out[0] - targetCos[i];
            derivative[i] = out[1];
        }
        INDArray deltaCol = Nd4j.createFromArray(delta).castTo(x.dataType()).reshape(batch, 1);
        INDArray f = cos.add(labels.mulColumnVector(deltaCol));

        boolean byNorm = margin.scalesByFeatureNorm();
        INDArray z = byNorm ? f.mulColumnVector(xNorm) : f.mul(s);
        Softmax sm = Softmax.of(z, labels);
        int correct = argmaxMatches(cos, labels);
        if (!gradients) return new Result(sm.loss, sm.lossPerExample, cos, correct, null, null, null, 0);

        INDArray dz = sm.probabilities.sub(labels); // d(sum of losses)/dz
        double dS = byNorm ? 0 : dz.mul(f).sumNumber().doubleValue();
        INDArray df = byNorm ? dz.mulColumnVector(xNorm) : dz.mul(s);
        // df/dcos is 1 off-target and margin'(cos) on target; the clip to [-1, 1] passes gradient only inside it.
        INDArray derivCol = Nd4j.createFromArray(derivative).castTo(x.dataType()).reshape(batch, 1).subi(1);
        INDArray dCos = df.mul(labels.mulColumnVector(derivCol).addi(1));
        INDArray inside = Transforms.abs(rawCos, true).lte(1.0).castTo(x.dataType());
        dCos.muli(inside);

        INDArray dXn = dCos.mmul(wn.transpose());
        INDArray dWn = xn.transpose().mmul(dCos);
        INDArray dX = normaliseBackward(xn, dXn, xNorm, xDiv, 1);
        if (byNorm) {
            // z = |x| f: the norm's own gradient, sum_j dz_j f_j times x^.
            INDArray normGrad = dz.mul(f).sum(1).reshape(batch, 1);
            dX.addi(xn.mulColumnVector(normGrad).muliColumnVector(xNorm.gte(NORM_EPS).castTo(x.dataType())));
        }
        INDArray dW = normaliseBackward(wn, dWn, wNorm, wDiv, 0);
        return new Result(sm.loss, sm.lossPerExample, cos, correct, dX, dW, null, dS);
    }

    /** Backward of v^ = v / max(|v|, eps) along rows (dim 1) or columns (dim 0). */
    private static INDArray normaliseBackward(INDArray vn, INDArray dVn, INDArray norm, INDArray div, int dim) {
        INDArray projection = dVn.mul(vn).sum(true, dim);
        projection.muli(norm.gte(NORM_EPS).castTo(vn.dataType()));
        if (dim == 1) return dVn.sub(vn.mulColumnVector(projection)).diviColumnVector(div);
        return dVn.sub(vn.mulRowVector(projection)).diviRowVector(div);
    }

    private static Result linear(INDArray x, INDArray w, INDArray bias, INDArray labels, boolean gradients) {
        INDArray z = x.mmul(w);
        if (bias != null) z.addiRowVector(bias);
        Softmax sm = Softmax.of(z, labels);
        int correct = argmaxMatches(z, labels);
        if (!gradients) return new Result(sm.loss, sm.lossPerExample, z, correct, null, null, null, 0);
        INDArray dz = sm.probabilities.sub(labels);
        INDArray dW = x.transpose().mmul(dz);
        INDArray dB = bias == null ? null : dz.sum(true, 0);
        INDArray dX = dz.mmul(w.transpose());
        return new Result(sm.loss, sm.lossPerExample, z, correct, dX, dW, dB, 0);
    }

    private static int argmaxMatches(INDArray scores, INDArray labels) {
        long[] predicted = scores.argMax(1).toLongVector();
        long[] truth = labels.argMax(1).toLongVector();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == truth[i]) correct++;
        return correct;
    }

    /** Numerically stable softmax cross-entropy over rows. */
    private record Softmax(double loss, INDArray lossPerExample, INDArray probabilities) {
        static Softmax of(INDArray z, INDArray labels) {
            INDArray max = z.max(1).reshape(z.size(0), 1);
            INDArray shifted = z.subColumnVector(max);
            INDArray exp = Transforms.exp(shifted, true);
            INDArray sum = exp.sum(1).reshape(z.size(0), 1);
            INDArray logSum = Transforms.log(sum, true);
            // loss_i = log(sum_j e^(z_j - max)) - (z_y - max)
            INDArray perExample = logSum.sub(shifted.mul(labels).sum(1).reshape(z.size(0), 1));
            INDArray p = exp.diviColumnVector(sum);
            return new Softmax(perExample.meanNumber().doubleValue(), perExample, p);
        }
    }
}
