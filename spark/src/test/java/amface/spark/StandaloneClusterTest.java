package amface.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import amface.align.DatasetAligner;
import amface.io.AtomicFile;
import amface.align.OpThreads;
import amface.train.TinyRuns;
import amface.testing.TestPaths;

/**
 * Short trainings and alignment on a real standalone cluster on 127.0.0.1 (a Master and two one-core Workers,
 * separate JVMs started from the Spark jars; executors in JVMs of their own). The alignment, with one Worker killed
 * mid-job, equals {@code amface align}'s output file for file. The cluster is stopped at the end whatever happens.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    @TempDir
    static Path tmp;
    private static StandaloneCluster cluster;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        TestPaths.sharedData("lfw/lfw-deepfunneled");
        cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, 2048);
        sc = new JavaSparkContext(cluster.conf("StandaloneClusterTest", 2, "1g"));
        // Two executors registered before any timing: the jobs' rates, not the executors' start.
        sc.parallelize(List.of(1, 2), 2).map(x -> ExecutorThreads.forThisTask()).collect();
    }

    @AfterAll
    static void stop() {
        try {
            if (sc != null) sc.stop();
        } finally {
            if (cluster != null) cluster.close();
        }
    }

    @Test
    void shortTrainingWithParameterAveraging() throws IOException {
        Path data = TinyRuns.faces().train();
        SparkDataParallelTest.trainAndCheck(sc, SparkDataParallel.Master.AVERAGING, SparkDataParallelTest.tiny(data, tmp.resolve("run-averaging")));
    }

    /**
     * Gradient sharing across JVMs: the executors reach the driver's parameter server over Aeron UDP on 127.0.0.1,
     * each on a UDP port of its own ({@link GradientSharingPort}); the driver's weights move only through the updates
     * it receives.
     */
    @Test
    void shortTrainingWithGradientSharing() throws IOException {
        Path data = TinyRuns.faces().train();
        SparkDataParallelTest.trainAndCheck(sc, SparkDataParallel.Master.SHARED, SparkDataParallelTest.tiny(data, tmp.resolve("run-shared")));
    }

    /**
     * A Worker killed with SIGKILL while both executors align (a lost host): Spark reruns the lost task on the other
     * executor, the job completes, and the output equals {@code amface align}'s file for file, with no temporary or
     * partial chip left. Runs last: the cluster has one Worker afterwards.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void alignmentSurvivesAKilledWorkerAndEqualsAmfaceAlign() throws Exception {
        AlignSettings settings = AlignSettings.mtcnn(TestPaths.sharedData("mtcnn"));
        Path raw = LfwSubset.write(tmp.resolve("raw"), 4, 5);
        int before = OpThreads.set(1);
        DatasetAligner.Summary single = DatasetAligner.builder(settings.newAligner()).input(raw).output(tmp.resolve("single")).threads(2).build().run();
        OpThreads.set(before);

        AtomicInteger lostTasks = new AtomicInteger();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!(end.reason() instanceof org.apache.spark.Success$)) lostTasks.incrementAndGet();
            }
        });
        Path out = tmp.resolve("cluster-out");
        ExecutorService driver = Executors.newSingleThreadExecutor();
        try {
            // One Spark job of two tasks (one per executor, ~10 images each); the kill comes with the first chip.
            Future<DatasetAligner.Summary> job = driver.submit(() -> DistributedAligner.builder(settings).input(raw.toUri().toString())
                .output(out).partitions(2).build().run(sc));
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!job.isDone() && chips(out) == 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertFalse(job.isDone(), "the job ended before a Worker could be killed mid-job");
            long chipsAtKill = chips(out);
            List<ProcessHandle> executors = cluster.killWorker(0);
            long t0 = System.nanoTime();
            DatasetAligner.Summary s = job.get(300, TimeUnit.SECONDS);
            double afterKill = (System.nanoTime() - t0) / 1e9;

            assertEquals(single.images(), s.images());
            assertEquals(single.unreadable(), s.unreadable());
            assertEquals(single.aligned(), s.aligned());
            DistributedAlignerTest.assertSameFiles(tmp.resolve("single"), out); // no temporary, no partial chip
            assertTrue(lostTasks.get() >= 1, "no task was lost with the killed Worker's executor");
            for (ProcessHandle e : executors) assertTrue(e.onExit().get(60, TimeUnit.SECONDS) != null);
            System.out.printf(Locale.ROOT, "standalone cluster: Worker 0 killed (SIGKILL) with %d of %d chips written; %d task(s) lost and rerun;"
                + " the job finished %.1f s later (%.1f s in all) with the output of amface align; load %s%n", chipsAtKill, s.images(),
                lostTasks.get(), afterKill, s.seconds(), Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            driver.shutdownNow();
        }
    }

    private static long chips(Path out) throws IOException {
        if (!Files.isDirectory(out)) return 0;
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> p.toString().endsWith(".jpg") && !AtomicFile.isTemporary(p)).count();
        }
    }
}
