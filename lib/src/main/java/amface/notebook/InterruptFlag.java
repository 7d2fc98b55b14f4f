package amface.notebook;

import java.util.function.Supplier;

/**
 * Keeps a thread's interrupt flag across drawing and sending output. A kernel interrupt reaches a running cell only
 * as that flag, and the training loop looks at it between steps; but drawing a chart (somewhere in XChart / Java2D)
 * and sending through JJava's socket (which fails with EINTR on an interrupted thread) clear it, so a live chart
 * drawn just after the interrupt used to make training run on. Every draw and send here goes through this class.
 */
final class InterruptFlag {
    private InterruptFlag() { }

    /** Runs {@code work} with the flag cleared (so nothing in it trips over it) and sets it again afterwards if it was set. */
    static <T> T keep(Supplier<T> work) {
        boolean interrupted = Thread.interrupted();
        try {
            return work.get();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    static void keep(Runnable work) {
        keep(() -> {
            work.run();
            return null;
        });
    }
}
