package amface.nn.layers;

import java.util.Arrays;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.prelu_backward;
import org.bytedeco.dnnl.prelu_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training-mode batch norm + optional per-channel PReLU on NHWC float arrays through oneDNN
 * ({@code bnorm_jit}, {@code jit_uni} PReLU), the primitives kept for the last shape: what CPU training runs in
 * place of the Java loops of {@link BatchNormPrelu}. Measured at batch 32 (fastest of 9, shared machine),
 * forward / backward in ms, oneDNN against the Java loops: 4.0/7.8 against 7.0/13.5 at 64x56x48, 1.8/3.8 against
 * 3.5/6.1 at 128x28x24, 0.9/1.9 against 2.5/4.2 at 256x14x12.
 *
 * <p>Forward: batch statistics, normalisation, scale and shift in one primitive, PReLU in place after it.
 * Backward recomputes the PReLU input from the kept pre-norm input and statistics (so only that input is kept, as
 * in the Java path), then PReLU backward, then batch-norm backward. Variances are biased (divided by the count).
 */
final class OneDnnBatchNormPrelu {
    private long[] dims;
    private boolean prelu;
    private float eps;
    private batch_normalization_forward bnTrain;
    private batch_normalization_forward bnGlobal;
    private batch_normalization_backward bnBack;
    private prelu_forward preluFwd;
    private prelu_backward preluBack;
    private memory x;
    private memory y;
    private memory z;
    private memory dz;
    private memory gradY;
    private memory gradX;
    private memory mean;
    private memory var;
    private memory scaleShift;
    private memory diffScaleShift;
    private memory alpha;
    private memory diffAlpha;
    private final IntMemoryMap trainArgs = new IntMemoryMap();
    private final IntMemoryMap preluArgs = new IntMemoryMap();
    private final IntMemoryMap globalArgs = new IntMemoryMap();
    private final IntMemoryMap preluBackArgs = new IntMemoryMap();
    private final IntMemoryMap backArgs = new IntMemoryMap();

    private void prepare(INDArray a, boolean withPrelu, double epsilon) {
        long[] d = {a.size(0), a.size(3), a.size(1), a.size(2)};
        if (Arrays.equals(d, dims) && withPrelu == prelu && (float) epsilon == eps) return;
        var e = OneDnn.engine();
        memory.desc md = OneDnn.desc(d, memory.format_tag.nhwc);
        int flags = dnnl.normalization_flags.use_scale_shift.value;
        int training = dnnl.prop_kind.forward_training.value;
        var trainPd = new batch_normalization_forward.primitive_desc(
            new batch_normalization_forward.desc(training, md, (float) epsilon, flags), e);
        // the backward's recomputation of z with the kept statistics
        var globalPd = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
            training, md, (float) epsilon, flags | dnnl.normalization_flags.use_global_stats.value), e);
        var backPd = new batch_normalization_backward.primitive_desc(new batch_normalization_backward.desc(
            dnnl.prop_kind.backward.value, md, md, (float) epsilon, flags), e, trainPd);
        bnTrain = new batch_normalization_forward(trainPd);
        bnGlobal = new batch_normalization_forward(globalPd);
        bnBack = new batch_normalization_backward(backPd);
        x = new memory(md, e, new OneDnn.Address(0));
        y = new memory(md, e, new OneDnn.Address(0));
        z = new memory(md, e, new OneDnn.Address(0));
        dz = new memory(md, e, new OneDnn.Address(0));
        gradY = new memory(md, e, new OneDnn.Address(0));
        gradX = new memory(md, e, new OneDnn.Address(0));
        mean = new memory(trainPd.mean_desc(), e, new OneDnn.Address(0));
        var = new memory(trainPd.variance_desc(), e, new OneDnn.Address(0));
        scaleShift = new memory(trainPd.weights_desc(), e);
        diffScaleShift = new memory(backPd.diff_weights_desc(), e);
        trainArgs.put(dnnl.DNNL_ARG_SRC, x);
        trainArgs.put(dnnl.DNNL_ARG_DST, y);
        trainArgs.put(dnnl.DNNL_ARG_MEAN, mean);
        trainArgs.put(dnnl.DNNL_ARG_VARIANCE, var);
        trainArgs.put(dnnl.DNNL_ARG_SCALE_SHIFT, scaleShift);
        backArgs.put(dnnl.DNNL_ARG_SRC, x);
        backArgs.put(dnnl.DNNL_ARG_MEAN, mean);
        backArgs.put(dnnl.DNNL_ARG_VARIANCE, var);
        backArgs.put(dnnl.DNNL_ARG_SCALE_SHIFT, scaleShift);
        backArgs.put(dnnl.DNNL_ARG_DIFF_DST, withPrelu ? dz : gradY);
        backArgs.put(dnnl.DNNL_ARG_DIFF_SRC, gradX);
        backArgs.put(dnnl.DNNL_ARG_DIFF_SCALE_SHIFT, diffScaleShift);
        globalArgs.put(dnnl.DNNL_ARG_SRC, x);
        globalArgs.put(dnnl.DNNL_ARG_DST, z);
        globalArgs.put(dnnl.DNNL_ARG_MEAN, mean);
        globalArgs.put(dnnl.DNNL_ARG_VARIANCE, var);
        globalArgs.put(dnnl.DNNL_ARG_SCALE_SHIFT, scaleShift);
        if (withPrelu) {
            memory.desc wd = OneDnn.desc(new long[] {1, d[1], 1, 1}, memory.format_tag.nchw);
            var pf = new prelu_forward.primitive_desc(new prelu_forward.desc(dnnl.prop_kind.forward_training, md, wd), e);
            var pb = new prelu_backward.primitive_desc(new prelu_backward.desc(md, wd, md, wd), e, pf);
            preluFwd = new prelu_forward(pf);
            preluBack = new prelu_backward(pb);
            alpha = new memory(wd, e, new OneDnn.Address(0));
            diffAlpha = new memory(wd, e, new OneDnn.Address(0));
            preluArgs.put(dnnl.DNNL_ARG_SRC, y);
            preluArgs.put(dnnl.DNNL_ARG_DST, y);
            preluArgs.put(dnnl.DNNL_ARG_WEIGHTS, alpha);
            preluBackArgs.put(dnnl.DNNL_ARG_SRC, z);
            preluBackArgs.put(dnnl.DNNL_ARG_WEIGHTS, alpha);
            preluBackArgs.put(dnnl.DNNL_ARG_DIFF_DST, gradY);
            preluBackArgs.put(dnnl.DNNL_ARG_DIFF_SRC, dz);
            preluBackArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, diffAlpha);
        }
        dims = d;
        prelu = withPrelu;
        eps = (float) epsilon;
    }

    private void setScaleShift(INDArray gamma, INDArray beta) {
        int c = (int) gamma.length();
        float[] ss = new float[2 * c];
        System.arraycopy(gamma.toFloatVector(), 0, ss, 0, c);
        System.arraycopy(beta.toFloatVector(), 0, ss, c, c);
        new FloatPointer(scaleShift.get_data_handle()).put(ss);
    }

    /**
     * {@code out = prelu(gamma * (x - mean) / sqrt(var + eps) + beta)} with the batch's statistics, written to
     * {@code mean} and {@code var} ([C], biased variance). alpha null: no PReLU.
     */
    void forward(INDArray xIn, INDArray gamma, INDArray beta, INDArray alphaIn, double epsilon, INDArray out,
                 INDArray meanOut, INDArray varOut) {
        prepare(xIn, alphaIn != null, epsilon);
        setScaleShift(gamma, beta);
        x.set_data_handle(OneDnn.address(xIn));
        y.set_data_handle(OneDnn.address(out));
        mean.set_data_handle(OneDnn.address(meanOut));
        var.set_data_handle(OneDnn.address(varOut));
        bnTrain.execute(OneDnn.stream(), trainArgs);
        if (alphaIn != null) {
            alpha.set_data_handle(OneDnn.address(alphaIn));
            preluFwd.execute(OneDnn.stream(), preluArgs);
        }
    }

    /** Batch norm alone with given statistics (inference: the running averages): {@code out} may not be x. */
    void forwardWithStatistics(INDArray xIn, INDArray meanIn, INDArray varIn, INDArray gamma, INDArray beta,
                               double epsilon, INDArray out) {
        prepare(xIn, false, epsilon);
        setScaleShift(gamma, beta);
        x.set_data_handle(OneDnn.address(xIn));
        z.set_data_handle(OneDnn.address(out));
        mean.set_data_handle(OneDnn.address(meanIn));
        var.set_data_handle(OneDnn.address(varIn));
        bnGlobal.execute(OneDnn.stream(), globalArgs);
    }

    /**
     * Backward of {@link #forward} given its input, statistics and parameters: writes gradX, gradGamma, gradBeta
     * and (with PReLU) gradAlpha. {@code zScratch} and {@code dzScratch} are x-sized work arrays (unused without
     * PReLU).
     */
    void backward(INDArray xIn, INDArray meanIn, INDArray varIn, INDArray gamma, INDArray beta, INDArray alphaIn,
                  double epsilon, INDArray gradOut, INDArray gradXOut, INDArray gradGamma, INDArray gradBeta,
                  INDArray gradAlpha, INDArray zScratch, INDArray dzScratch) {
        prepare(xIn, alphaIn != null, epsilon);
        setScaleShift(gamma, beta);
        x.set_data_handle(OneDnn.address(xIn));
        mean.set_data_handle(OneDnn.address(meanIn));
        var.set_data_handle(OneDnn.address(varIn));
        gradY.set_data_handle(OneDnn.address(gradOut));
        gradX.set_data_handle(OneDnn.address(gradXOut));
        if (alphaIn != null) {
            z.set_data_handle(OneDnn.address(zScratch));
            dz.set_data_handle(OneDnn.address(dzScratch));
            alpha.set_data_handle(OneDnn.address(alphaIn));
            diffAlpha.set_data_handle(OneDnn.address(gradAlpha));
            bnGlobal.execute(OneDnn.stream(), globalArgs);
            preluBack.execute(OneDnn.stream(), preluBackArgs);
        }
        bnBack.execute(OneDnn.stream(), backArgs);
        int c = (int) gamma.length();
        float[] d = new float[2 * c];
        new FloatPointer(diffScaleShift.get_data_handle()).get(d);
        gradGamma.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(Arrays.copyOfRange(d, 0, c)).reshape(gradGamma.shape()));
        gradBeta.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(Arrays.copyOfRange(d, c, 2 * c)).reshape(gradBeta.shape()));
    }
}
