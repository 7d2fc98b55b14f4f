package amface.train;

import java.io.IOException;
import java.nio.file.Path;

import amface.data.Progress;
import amface.data.SyntheticFaces;
import amface.testing.TestPaths;

/** Small synthetic datasets and tiny networks for trainer tests (seconds, not minutes); public for the spark module's tests. */
public final class TinyRuns {
    private TinyRuns() { }

    /** 6 train identities x 8 images of 32x32 synthetic faces, 4 held-out identities and 40 pairs; written once per build. */
    public static synchronized SyntheticFaces.Written faces() throws IOException {
        Path root = TestPaths.buildDir("train-tiny-faces");
        return SyntheticFaces.builder().seed(3).difficulty(0.1).size(32, 32).build().writeDataset(root, 6, 8, 4, 40, Progress.NONE);
    }

    /** A ResFace with 4/8/8/8 channels and one residual unit, 32x32 input, 16-d embedding, AM-softmax. */
    public static TrainConfig config(Path data, Path out) {
        TrainConfig c = TrainConfig.defaults();
        c.data = data;
        c.out = out;
        c.channels = "4,8,8,8";
        c.units = "0,0,1,0";
        c.input = "32x32";
        c.embeddingSize = 16;
        c.dropoutKeep = 0.8;
        c.s = 10;
        c.m = 0.2;
        c.batch = 8;
        c.steps = 20;
        c.lrPolicy = "constant";
        c.lr = 0.05;
        c.checkpointEvery = 10;
        c.cropPadding = 2;
        c.loaderThreads = 2;
        c.prefetch = 3;
        return c;
    }
}
