package amface.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import amface.image.PixelNormalisation;

/**
 * Training batches built on background threads, at most {@code prefetch} ahead of the trainer, handed out in
 * step order.
 *
 * <p>Everything random is a function of (seed, step), so a resumed run sees exactly the batches an uninterrupted
 * one would: sample {@code p = step * batch + i} of the stream is image {@code permutation(pass)[p mod n]} with
 * {@code pass = p / n} (a fresh shuffle each pass through the data), and its crop and mirror come from a
 * generator seeded by (seed, p). Thread scheduling changes nothing.
 */
final class BatchLoader implements AutoCloseable {
    /** One batch: NHWC pixels normalised as the model wants them (amface's (x - 127.5) / 128 by default), and class labels. */
    record Batch(long step, float[] features, int[] labels) { }

    private final TrainingImages images;
    private final int batch;
    private final SampleAugmentation augmentation;
    private final int prefetch;
    private final ExecutorService pool;
    private final Deque<Future<Batch>> pending = new ArrayDeque<>();
    private final PermutationCache permutations;
    private long nextToSubmit;
    private final AtomicLong buildNanos = new AtomicLong();
    private final AtomicLong built = new AtomicLong();
    private long waitNanos;

    BatchLoader(TrainingImages images, int batch, long seed, int cropPadding, boolean mirror, int height, int width,
                int threads, int prefetch) {
        this(images, batch, seed, cropPadding, mirror, height, width, threads, prefetch, PixelNormalisation.AMFACE);
    }

    BatchLoader(TrainingImages images, int batch, long seed, int cropPadding, boolean mirror, int height, int width,
                int threads, int prefetch, PixelNormalisation normalisation) {
        this.images = images;
        this.batch = batch;
        this.augmentation = new SampleAugmentation(seed, cropPadding, mirror, height, width, normalisation);
        this.prefetch = prefetch;
        this.permutations = new PermutationCache(images.size(), seed);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "amface-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts prefetching from {@code step} on; {@link #take} then returns that step's batch first. */
    void start(long step) {
        nextToSubmit = step;
        while (pending.size() < prefetch) submitNext();
    }

    private void submitNext() {
        long step = nextToSubmit++;
        pending.add(pool.submit(() -> build(step)));
    }

    /** The next batch in step order (waits if the loader is behind). */
    Batch take() throws InterruptedException {
        Future<Batch> f = pending.poll();
        if (f == null) throw new IllegalStateException("loader not started");
        submitNext();
        long t0 = System.nanoTime();
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof amface.image.BadImageException bad) {
                throw new TrainingException("cannot read training image " + bad.file() + ": " + bad.reason(), bad);
            }
            throw new TrainingException("the data loader failed: " + cause, cause);
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
    }

    /** The batch of a step, built on the calling thread (the loader threads call this). */
    Batch build(long step) throws amface.image.BadImageException {
        long t0 = System.nanoTime();
        int per = augmentation.floatsPerImage();
        float[] features = new float[Math.multiplyExact(per, batch)];
        int[] labels = new int[batch];
        int[] indices = indices(step);
        for (int i = 0; i < batch; i++) {
            augmentation.fill(images.image(indices[i]), step * batch + i, features, i * per);
            labels[i] = images.label(indices[i]);
        }
        buildNanos.addAndGet(System.nanoTime() - t0);
        built.addAndGet(batch);
        return new Batch(step, features, labels);
    }

    /** The dataset indices of a step's images, sample {@code step * batch + i} at {@code i}. */
    int[] indices(long step) {
        int n = images.size();
        int[] out = new int[batch];
        for (int i = 0; i < batch; i++) {
            long p = step * batch + i;
            out[i] = permutations.get(p / n)[(int) (p % n)];
        }
        return out;
    }

    int batchSize() { return batch; }

    SampleAugmentation augmentation() { return augmentation; }

    /** Images per second one loader thread builds (summed thread time); times the threads is the loader's capacity. */
    double imagesPerThreadSecond() {
        long nanos = buildNanos.get();
        return nanos == 0 ? 0 : built.get() / (nanos / 1e9);
    }

    /** Seconds the trainer waited for batches so far. */
    double waitSeconds() {
        return waitNanos / 1e9;
    }

    /** Which image sample {@code p} of the stream is, and which data pass it belongs to. */
    long[] position(long step) {
        long p = step * batch;
        return new long[] {p / images.size(), p % images.size()};
    }

    static long mix(long seed, long p) {
        long z = seed * 0x9E3779B97F4A7C15L + p;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        pool.shutdownNow();
    }

    /** Shuffles of 0..n-1 per pass, the last few kept. */
    private static final class PermutationCache {
        private final int n;
        private final long seed;
        private final java.util.Map<Long, int[]> recent = new java.util.LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Long, int[]> e) {
                return size() > 4;
            }
        };

        PermutationCache(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        synchronized int[] get(long pass) {
            return recent.computeIfAbsent(pass, k -> {
                int[] perm = new int[n];
                for (int i = 0; i < n; i++) perm[i] = i;
                SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, k));
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                return perm;
            });
        }
    }

}
