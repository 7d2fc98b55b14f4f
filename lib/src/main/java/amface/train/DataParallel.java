package amface.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A data-parallel engine the {@link Trainer} hands its steps to (Spark's training masters in {@code amface.spark};
 * {@code ParallelWrapper} stays built in): the trainer keeps the run folder, dataset, batches, schedule,
 * checkpoints, metrics and the final model, the engine trains the trainer's graph in place. A step trains on
 * {@code workers x batch} images, as with {@code ParallelWrapper}.
 *
 * <pre>{@code
 * Trainer.create(config).dataParallel((steps, from) -> { ... steps.next() ... steps.done(step, loss, ips); ... }).run();
 * }</pre>
 */
@FunctionalInterface
public interface DataParallel {

    /** Trains from step {@code from} until {@link Steps#steps()} or a stop request; returns where it stopped. */
    Result run(Steps steps, long from);

    /** Where an engine stopped. */
    record Result(long step, boolean interrupted, double lastLoss) { }

    /** One batch of one worker: NHWC pixels normalised as the trainer does, and class labels. */
    record Batch(long index, float[] features, int[] labels) {
        /** The pixels as the network's input, {@code [n, height, width, 3]} (NHWC), as the trainer feeds them. */
        public org.nd4j.linalg.api.ndarray.INDArray input(int height, int width) {
            return org.nd4j.linalg.factory.Nd4j.create(features, amface.image.TensorLayout.NHWC.shape(labels.length, height, width), 'c');
        }

        /** The labels one-hot over {@code classes}, as the trainer feeds them. */
        public org.nd4j.linalg.api.ndarray.INDArray oneHot(int classes) {
            return Trainer.oneHot(labels, classes);
        }
    }

    /**
     * One worker batch as what to read rather than pixels, for engines whose workers read the images themselves:
     * the files (relative to the dataset root, '/'-separated), their labels, and their sample numbers in the stream
     * (which pick crops and mirrors). {@link Steps#augmentation()} turns it into the bytes {@link Steps#next()} gives.
     */
    record BatchPlan(long index, String[] files, int[] labels, long[] samples) implements java.io.Serializable { }

    /** What the engine sees of the trainer. */
    final class Steps {
        private final Trainer trainer;
        private final BatchLoader loader;
        private final long sessionStart;

        Steps(Trainer trainer, BatchLoader loader, long sessionStart) {
            this.trainer = trainer;
            this.loader = loader;
            this.sessionStart = sessionStart;
        }

        /** The network, trained in place. */
        public ComputationGraph graph() { return trainer.graph(); }

        public TrainConfig config() { return trainer.config(); }

        public int classes() { return trainer.dataset().identityCount(); }

        /** The last step of the run. */
        public long steps() { return trainer.config().steps; }

        /** Batches from step {@code step} on, {@code config.workers} per step; call once before {@link #next}. */
        public void start(long step) { loader.start(step * trainer.config().workers); }

        /** The next worker batch in order. */
        public Batch next() throws InterruptedException {
            BatchLoader.Batch b = loader.take();
            return new Batch(b.step(), b.features(), b.labels());
        }

        /**
         * Worker batch {@code index} ({@code step x workers + worker}) as a plan, no image read: the same images,
         * labels and augmentation as the {@code index}-th batch of {@link #next()} from step 0.
         */
        public BatchPlan plan(long index) {
            int[] idx = loader.indices(index);
            String[] files = new String[idx.length];
            int[] labels = new int[idx.length];
            long[] samples = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                amface.data.IdentityDataset.Entry e = trainer.dataset().get(idx[i]);
                files[i] = e.path();
                labels[i] = e.label();
                samples[i] = index * loader.batchSize() + i;
            }
            return new BatchPlan(index, files, labels, samples);
        }

        /** How the trainer turns a plan's images into input (fit, crop, mirror, normalisation). */
        public SampleAugmentation augmentation() { return loader.augmentation(); }

        /** The learning rate of step {@code step} (0-based). */
        public double learningRate(long step) { return trainer.schedule().at(step); }

        /** Records finished step {@code step} (1-based): metrics, progress, verification and checkpoints as configured. */
        public void done(long step, double loss, double accuracy, double imagesPerSecond) {
            trainer.afterStep(step, loss, accuracy, trainer.schedule().at(step - 1), imagesPerSecond, loader, sessionStart);
        }

        public boolean stopRequested() { return trainer.stopRequestedOrInterrupted(); }
    }
}
