package amface.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import amface.head.MarginSoftmaxLayer;
import amface.image.TensorLayout;

/**
 * Data-parallel training with Deeplearning4j's ParallelWrapper: {@code workers} replicas (one per GPU on CUDA),
 * each step one batch per replica, parameters and optimizer state averaged after every step. A step therefore
 * trains on {@code workers x batch} images and the schedule counts these steps. Runs in chunks between
 * checkpoints, verifications and stop checks.
 */
final class ParallelTraining implements AutoCloseable {
    record Outcome(long step, boolean interrupted, double lastLoss) { }

    private static final int MAX_CHUNK = 50;
    private final Trainer trainer;
    private final BatchLoader loader;
    private final int workers;
    private final int height;
    private final int width;
    private final Map<Integer, List<double[]>> byIteration = new ConcurrentHashMap<>();
    private ParallelWrapper wrapper;

    ParallelTraining(Trainer trainer, BatchLoader loader, int workers, int height, int width) {
        this.trainer = trainer;
        this.loader = loader;
        this.workers = workers;
        this.height = height;
        this.width = width;
    }

    Outcome run(long step, long sessionStart) {
        TrainConfig c = trainer.config();
        ComputationGraph graph = trainer.graph();
        graph.getConfiguration().setIterationCount((int) step);
        wrapper = new ParallelWrapper.Builder<>(graph).workers(workers).prefetchBuffer(2).averagingFrequency(1)
            .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).averageUpdaters(true).reportScoreAfterAveraging(true)
            .workspaceMode(WorkspaceMode.ENABLED).build();
        wrapper.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                MarginSoftmaxLayer head = (MarginSoftmaxLayer) ((ComputationGraph) model).getLayer(Trainer.HEAD);
                byIteration.computeIfAbsent(iteration, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(new double[] {head.lastLoss(), head.lastAccuracy()});
            }
        });
        loader.start(step * workers);
        double lastLoss = Double.NaN;
        while (step < c.steps) {
            if (trainer.stopRequestedOrInterrupted()) return new Outcome(step, true, lastLoss);
            long chunk = Math.min(c.steps - step, MAX_CHUNK);
            chunk = Math.min(chunk, c.checkpointEvery - step % c.checkpointEvery);
            if (c.verifyEvery > 0) chunk = Math.min(chunk, c.verifyEvery - step % c.verifyEvery);
            long t0 = System.nanoTime();
            try {
                wrapper.fit(new LoaderIterator(chunk * workers));
            } catch (TrainingException e) {
                throw trainer.failAfterCheckpoint(step, e.getMessage(), e);
            }
            double imagesPerSecond = chunk * workers * c.batch / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            for (long k = 0; k < chunk; k++) {
                long done = step + k + 1;
                // each replica counts its own iterations from the step it was cloned at
                List<double[]> reports = byIteration.remove((int) (done - 1));
                double loss = Double.NaN, accuracy = Double.NaN;
                if (reports != null && !reports.isEmpty()) {
                    loss = reports.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN);
                    accuracy = reports.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN);
                }
                lastLoss = loss;
                graph.getConfiguration().setIterationCount((int) done);
                trainer.afterStep(done, loss, accuracy, trainer.schedule().at(done - 1), imagesPerSecond, loader, sessionStart);
            }
            step += chunk;
        }
        return new Outcome(step, false, lastLoss);
    }

    @Override
    public void close() {
        if (wrapper == null) return;
        try {
            wrapper.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the ParallelWrapper workers: " + e.getMessage(), e);
        }
    }

    /** The loader's next {@code count} batches as a MultiDataSetIterator for the wrapper. */
    private final class LoaderIterator implements MultiDataSetIterator {
        private long remaining;

        LoaderIterator(long count) {
            this.remaining = count;
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next() {
            remaining--;
            BatchLoader.Batch b;
            try {
                b = loader.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainingException("interrupted while waiting for a batch");
            }
            INDArray x = Nd4j.create(b.features(), TensorLayout.NHWC.shape(b.labels().length, height, width), 'c');
            return new org.nd4j.linalg.dataset.MultiDataSet(x, Trainer.oneHot(b.labels(), trainer.dataset().identityCount()));
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("the training stream does not rewind");
        }
    }
}
