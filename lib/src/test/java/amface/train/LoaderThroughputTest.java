package amface.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import amface.data.IdentityDataset;
import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.testing.TestPaths;

/**
 * The loader must never be the bottleneck: in one run, measure what the loader builds per second from image files
 * (decoding 112x96 PNGs every time, no cache, random crop and mirror) against what ResFace20 with AM-softmax
 * trains per second at the same input size, and print the ratio.
 */
class LoaderThroughputTest {

    @Test
    void loaderOutrunsTraining() throws Exception {
        Path root = TestPaths.buildDir("train-loader-faces");
        SyntheticFaces.Written faces = SyntheticFaces.builder().seed(9).difficulty(0.3).build().writeDataset(root, 8, 8, 0, 0, Progress.NONE);
        IdentityDataset d = IdentityDataset.scan(faces.train());
        TrainingImages uncached = new TrainingImages(d, 112, 96, false);
        int batch = 16;
        double loaderPerThread;
        try (BatchLoader loader = new BatchLoader(uncached, batch, 1, 4, true, 112, 96, 1, 1)) {
            for (int step = 0; step < 8; step++) loader.build(step);
            loaderPerThread = loader.imagesPerThreadSecond();
        }

        TrainConfig c = TrainConfig.defaults();
        c.data = faces.train();
        c.out = root.resolve("unused");
        ComputationGraph graph = Trainer.buildGraph(c, d.identityCount());
        try (BatchLoader loader = new BatchLoader(new TrainingImages(d, 112, 96, true), batch, 1, 4, true, 112, 96, 1, 1)) {
            BatchLoader.Batch b = loader.build(0);
            org.nd4j.linalg.dataset.MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(
                org.nd4j.linalg.factory.Nd4j.create(b.features(), amface.image.TensorLayout.NHWC.shape(batch, 112, 96), 'c'),
                Trainer.oneHot(b.labels(), d.identityCount()));
            graph.fit(mds); // warm-up
            long t0 = System.nanoTime();
            int steps = 3;
            for (int i = 0; i < steps; i++) graph.fit(mds);
            double training = steps * batch / ((System.nanoTime() - t0) / 1e9);
            String report = String.format(Locale.ROOT,
                "loader (1 thread, PNG decode + crop + mirror + normalise): %.0f images/s; ResFace20 + AM-softmax training: %.1f images/s; ratio %.0fx",
                loaderPerThread, training, loaderPerThread / training);
            System.out.println(report);
            java.nio.file.Files.writeString(TestPaths.buildDir("train-loader").resolve("throughput.txt"), report + "\n");
            assertTrue(loaderPerThread > 2 * training, report);
        }
    }
}
