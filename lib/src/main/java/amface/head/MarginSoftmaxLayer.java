package amface.head;

import java.util.List;

import org.deeplearning4j.eval.Evaluation;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The running margin-softmax head (see {@link MarginSoftmax} for its configuration and {@link MarginLoss} for the
 * arithmetic). The training step, which drives the margin warm-up and SphereFace's annealing, is the network's
 * iteration count, so it is saved with the model and restored on resume.
 */
public class MarginSoftmaxLayer extends BaseLayer<MarginSoftmax> implements IOutputLayer {
    private INDArray labels;
    private double lastLoss = Double.NaN;
    private double lastAccuracy = Double.NaN;

    public MarginSoftmaxLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Mean cross-entropy of the last training batch (without weight decay). */
    public double lastLoss() { return lastLoss; }

    /** Fraction of the last training batch whose highest cosine logit was the true class. */
    public double lastAccuracy() { return lastAccuracy; }

    /** The scale in use: the learned parameter where there is one, else the configured s. */
    public double scale() {
        MarginSoftmax c = layerConf();
        return c.hasScaleParam() ? getParam(MarginSoftmaxParams.SCALE_KEY).getDouble(0) : c.getScale();
    }

    /** The margin warm-up factor at the current step. */
    public double warm() {
        return layerConf().warmAt(getIterationCount());
    }

    private MarginLoss.Result compute(boolean gradients) {
        if (input == null || labels == null) throw new IllegalStateException("the head needs input and labels " + layerId());
        MarginSoftmax c = layerConf();
        INDArray bias = c.isPlainSoftmax() ? getParam(MarginSoftmaxParams.BIAS_KEY) : null;
        return MarginLoss.compute(input, getParam(MarginSoftmaxParams.WEIGHT_KEY), bias, c.getMargin(), scale(), labels,
            warm(), getIterationCount(), gradients);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        MarginSoftmax c = layerConf();
        INDArray w = getParam(MarginSoftmaxParams.WEIGHT_KEY);
        INDArray out;
        if (c.isPlainSoftmax()) {
            out = input.mmul(w).addiRowVector(getParam(MarginSoftmaxParams.BIAS_KEY));
        } else {
            INDArray xn = input.divColumnVector(org.nd4j.linalg.ops.transforms.Transforms.max(input.norm2(true, 1), MarginLoss.NORM_EPS, false));
            INDArray wn = w.divRowVector(org.nd4j.linalg.ops.transforms.Transforms.max(w.norm2(true, 0), MarginLoss.NORM_EPS, false));
            out = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(xn.mmul(wn), -1.0, false), 1.0, false);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        MarginLoss.Result r = compute(true);
        lastLoss = r.loss();
        lastAccuracy = r.correct() / (double) input.size(0);
        Gradient gradient = new DefaultGradient();
        INDArray dW = gradientViews.get(MarginSoftmaxParams.WEIGHT_KEY);
        dW.assign(r.dW());
        gradient.gradientForVariable().put(MarginSoftmaxParams.WEIGHT_KEY, dW);
        if (r.dB() != null) {
            INDArray dB = gradientViews.get(MarginSoftmaxParams.BIAS_KEY);
            dB.assign(r.dB());
            gradient.gradientForVariable().put(MarginSoftmaxParams.BIAS_KEY, dB);
        }
        if (layerConf().hasScaleParam()) {
            INDArray dS = gradientViews.get(MarginSoftmaxParams.SCALE_KEY);
            dS.assign(r.dS());
            gradient.gradientForVariable().put(MarginSoftmaxParams.SCALE_KEY, dS);
        }
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, r.dX()));
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        MarginLoss.Result r = compute(false);
        score = r.loss() + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        INDArray perExample = compute(false).lossPerExample().addi(fullNetRegTerm);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, perExample);
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        this.gradient = backpropGradient(null, workspaceMgr).getFirst();
        this.score = lastLoss;
    }

    @Override
    public Pair<Gradient, Double> gradientAndScore() {
        return new Pair<>(gradient(), score());
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().isPlainSoftmax();
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
    }

    @Override
    public double f1Score(DataSet data) {
        return f1Score(data.getFeatures(), data.getLabels());
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        Evaluation eval = new Evaluation();
        eval.eval(labels, activate(examples, false, LayerWorkspaceMgr.noWorkspacesImmutable()));
        return eval.f1();
    }

    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw new UnsupportedOperationException("train the head inside a ComputationGraph " + layerId());
    }

    @Override
    public int[] predict(INDArray examples) {
        long[] best = activate(examples, false, LayerWorkspaceMgr.noWorkspacesImmutable()).argMax(1).toLongVector();
        int[] out = new int[best.length];
        for (int i = 0; i < best.length; i++) out[i] = (int) best[i];
        return out;
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        int[] p = predict(dataSet.getFeatures());
        List<String> names = new java.util.ArrayList<>();
        for (int i : p) names.add(dataSet.getLabelName(i));
        return names;
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("train the head inside a ComputationGraph " + layerId());
    }

    @Override
    public void fit(DataSet data) {
        throw new UnsupportedOperationException("train the head inside a ComputationGraph " + layerId());
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw new UnsupportedOperationException("train the head inside a ComputationGraph " + layerId());
    }
}
