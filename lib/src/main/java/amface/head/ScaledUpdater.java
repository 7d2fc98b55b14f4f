package amface.head;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * An updater whose steps are another updater's times a factor: a learning-rate multiplier that works with any
 * learning-rate schedule. Exact for updaters whose step is linear in the learning rate (SGD, momentum, Nesterov,
 * Adam, AdamW's gradient part); its state is the inner updater's, so checkpoints restore it unchanged.
 */
public final class ScaledUpdater implements IUpdater {
    @JsonProperty private IUpdater inner;
    @JsonProperty private double factor;

    private ScaledUpdater() { } // Jackson

    public ScaledUpdater(IUpdater inner, double factor) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
        this.factor = factor;
    }

    public IUpdater inner() { return inner; }

    public double factor() { return factor; }

    @Override
    public long stateSize(long numParams) {
        return inner.stateSize(numParams);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new Scaled(this, inner.instantiate(viewArray, initializeViewArray));
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        return new Scaled(this, inner.instantiate(state, initializeStateArrays));
    }

    @Override
    public IUpdater clone() {
        return new ScaledUpdater(inner.clone(), factor);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return inner.getLearningRate(iteration, epoch) * factor;
    }

    @Override
    public boolean hasLearningRate() {
        return inner.hasLearningRate();
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        inner.setLrAndSchedule(lr, schedule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledUpdater s && s.factor == factor && s.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return inner.hashCode() * 31 + Double.hashCode(factor);
    }

    @Override
    public String toString() {
        return inner + " x" + factor;
    }

    private static final class Scaled implements GradientUpdater<ScaledUpdater> {
        private final ScaledUpdater config;
        private final GradientUpdater<?> inner;

        Scaled(ScaledUpdater config, GradientUpdater<?> inner) {
            this.config = config;
            this.inner = inner;
        }

        @Override
        public ScaledUpdater getConfig() { return config; }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) { inner.setState(state, initialize); }

        @Override
        public Map<String, INDArray> getState() { return inner.getState(); }

        @Override
        public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
            inner.setStateViewArray(view, gradientShape, order, initialize);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            inner.applyUpdater(gradient, iteration, epoch);
            gradient.muli(config.factor);
        }
    }
}
