package amface.train;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SGD with classical (heavy-ball) momentum as TensorFlow's MomentumOptimizer and PyTorch's SGD write it:
 * {@code v = mu v + g; w -= lr v}. Deeplearning4j ships only Nesterov momentum; the reference recipe uses this one.
 * Weight decay is Deeplearning4j's L2 regularisation, added to g before this step (as Caffe and PyTorch do).
 */
public final class SgdMomentum implements IUpdater {
    @JsonProperty private double learningRate = 0.1;
    @JsonProperty private ISchedule learningRateSchedule;
    @JsonProperty private double momentum = 0.9;

    private SgdMomentum() { } // Jackson

    public SgdMomentum(ISchedule schedule, double momentum) {
        this.learningRateSchedule = schedule;
        this.learningRate = Double.NaN;
        this.momentum = momentum;
    }

    public SgdMomentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double momentum() { return momentum; }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initialize) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initialize);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        Updater u = new Updater(this);
        u.setState(state, initialize);
        return u;
    }

    @Override
    public IUpdater clone() {
        SgdMomentum c = new SgdMomentum();
        c.learningRate = learningRate;
        c.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        c.momentum = momentum;
        return c;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        this.learningRate = lr;
        this.learningRateSchedule = schedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SgdMomentum s && Double.compare(s.learningRate, learningRate) == 0 && s.momentum == momentum
            && java.util.Objects.equals(s.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public String toString() {
        return "SgdMomentum(momentum=" + momentum + ", lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate) + ")";
    }

    private static final class Updater implements GradientUpdater<SgdMomentum> {
        private static final String V = "V";
        private final SgdMomentum config;
        private INDArray v;

        Updater(SgdMomentum config) {
            this.config = config;
        }

        @Override
        public SgdMomentum getConfig() { return config; }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            if (!state.containsKey(V) || state.size() != 1) throw new IllegalStateException("SgdMomentum state must hold only " + V + ", got " + state.keySet());
            v = state.get(V);
            if (initialize) v.assign(0);
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(V, v);
        }

        @Override
        public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
            if (initialize) view.assign(0);
            v = view.reshape(order, gradientShape);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (v == null) throw new IllegalStateException("SgdMomentum updater has no state view");
            double lr = config.getLearningRate(iteration, epoch);
            v.muli(config.momentum).addi(gradient);
            gradient.assign(v).muli(lr);
        }
    }
}
