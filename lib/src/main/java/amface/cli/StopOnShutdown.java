package amface.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) for a long job: the shutdown hook asks the job to stop and then holds the JVM until the job
 * has written its checkpoint, i.e. until {@link #close} runs. Use in try-with-resources around the job.
 */
final class StopOnShutdown implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    StopOnShutdown(Runnable requestStop, String threadName) {
        hook = new Thread(() -> {
            requestStop.run();
            try {
                done.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The job is over: a running hook may return (and the JVM halt); otherwise the hook is removed. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now
        }
    }
}
