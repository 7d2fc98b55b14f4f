package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of a margin-softmax output layer (the "head"): class weights W [embeddingSize x classes], a
 * {@link Margin} (null: plain softmax with bias), a scale s (optionally learned), a margin warm-up and a
 * learning-rate multiplier. Use it like any Deeplearning4j output layer in a ComputationGraph:
 * <pre>
 *   graph.addLayer("head", MarginSoftmax.builder().margin(new CosineMargin(0.35)).scale(30)
 *                              .nIn(512).nOut(classes).build(), "embedding")
 * </pre>
 * Its activations are the cosine logits [batch x classes] without margin or scale (plain softmax: the raw
 * logits), for analysis; its score is the mean cross-entropy of the margin logits.
 */
public class MarginSoftmax extends FeedForwardLayer {
    @JsonProperty private Margin margin;
    @JsonProperty private double scale = 30;
    @JsonProperty private boolean learnScale;
    @JsonProperty private long marginWarmupSteps;
    @JsonProperty private double lrMultiplier = 1;

    private MarginSoftmax() { } // Jackson

    protected MarginSoftmax(Builder b) {
        super(b);
        this.margin = b.margin;
        this.scale = b.scale;
        this.learnScale = b.learnScale;
        this.marginWarmupSteps = b.marginWarmupSteps;
        this.lrMultiplier = b.lrMultiplier;
        initializeConstraints(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Null for plain softmax. */
    public Margin getMargin() { return margin; }

    public double getScale() { return scale; }

    public boolean isLearnScale() { return learnScale; }

    public long getMarginWarmupSteps() { return marginWarmupSteps; }

    public double getLrMultiplier() { return lrMultiplier; }

    /** Plain softmax has a bias and unnormalised logits. */
    public boolean isPlainSoftmax() { return margin == null; }

    /** Whether the scale s is a trained parameter (never for plain softmax or SphereFace, which do not use s). */
    public boolean hasScaleParam() {
        return learnScale && margin != null && !margin.scalesByFeatureNorm();
    }

    /** The margin warm-up factor at a training step: 0 at step 0, 1 from {@code marginWarmupSteps} on. */
    public double warmAt(long step) {
        return marginWarmupSteps <= 0 ? 1 : Math.min(1, step / (double) marginWarmupSteps);
    }

    /** A one-line description, e.g. {@code AM-softmax m=0.35, s=30 (learned), warm-up 1000 steps}. */
    public String describe() {
        if (margin == null) return "softmax";
        StringBuilder d = new StringBuilder(margin.describe());
        if (!margin.scalesByFeatureNorm()) d.append(", s=").append(scale).append(learnScale ? " (learned)" : "");
        if (marginWarmupSteps > 0) d.append(", margin warm-up ").append(marginWarmupSteps).append(" steps");
        if (lrMultiplier != 1) d.append(", head lr x").append(lrMultiplier);
        return d.toString();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        MarginSoftmaxLayer layer = new MarginSoftmaxLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return MarginSoftmaxParams.INSTANCE;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String param) {
        // Weight decay on W (and b, as configured); never on the scale.
        if (MarginSoftmaxParams.SCALE_KEY.equals(param)) return List.of();
        return super.getRegularizationByParam(param);
    }

    @Override
    public IUpdater getUpdaterByParam(String param) {
        IUpdater base = super.getUpdaterByParam(param);
        return lrMultiplier == 1 || base == null ? base : new ScaledUpdater(base, lrMultiplier);
    }

    @Override
    public boolean isPretrainParam(String param) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(layerName, MarginSoftmax.class, inputType, outputType)
            .standardMemory(params, updaterState)
            .workingMemory(0, 4 * nOut, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
            .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
            .build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MarginSoftmax h) || !super.equals(o)) return false;
        return java.util.Objects.equals(margin, h.margin) && scale == h.scale && learnScale == h.learnScale
            && marginWarmupSteps == h.marginWarmupSteps && lrMultiplier == h.lrMultiplier;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), margin, scale, learnScale, marginWarmupSteps, lrMultiplier);
    }

    @Override
    public String toString() {
        return "MarginSoftmax(" + describe() + ", nIn=" + nIn + ", nOut=" + nOut + ")";
    }

    /** Builder in the Deeplearning4j style; nIn is the embedding size, nOut the number of classes. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private Margin margin = new CosineMargin(0.35);
        private double scale = 30;
        private boolean learnScale;
        private long marginWarmupSteps;
        private double lrMultiplier = 1;

        /** The margin; null for plain softmax (unnormalised, with bias). Default: AM-softmax m = 0.35. */
        public Builder margin(Margin margin) {
            this.margin = margin;
            return this;
        }

        /** The scale s (default 30), the initial value when learned. */
        public Builder scale(double s) {
            if (!(s > 0) || Double.isInfinite(s)) throw new IllegalArgumentException("scale s must be > 0, got " + s);
            this.scale = s;
            return this;
        }

        public Builder learnScale(boolean learn) {
            this.learnScale = learn;
            return this;
        }

        /** Ramp the margin linearly from 0 over this many training steps (0: full margin from the start). */
        public Builder marginWarmup(long steps) {
            if (steps < 0) throw new IllegalArgumentException("margin warm-up steps must be >= 0, got " + steps);
            this.marginWarmupSteps = steps;
            return this;
        }

        /** The head's learning rate is the network's times this (for every updater whose step is linear in lr). */
        public Builder lrMultiplier(double multiplier) {
            if (!(multiplier > 0) || Double.isInfinite(multiplier)) throw new IllegalArgumentException("lr multiplier must be > 0, got " + multiplier);
            this.lrMultiplier = multiplier;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public MarginSoftmax build() {
            if (nOut < 2) throw new IllegalArgumentException("a head needs at least 2 classes, got " + nOut);
            return new MarginSoftmax(this);
        }
    }
}
