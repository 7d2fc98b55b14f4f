package amface.spark;

import org.apache.spark.TaskContext;

import amface.align.OpThreads;

/**
 * Native threads per Spark task: each task's ND4J/oneDNN ops use as many OpenMP threads as the task has cores
 * ({@code spark.task.cpus}, default 1), so that an executor running one task per core does not start cores x cores
 * native threads. OpenMP's count is per calling thread and Spark reuses task threads, so it is set at the start of
 * every task. On a 2-core machine running two tasks this decides whether a job finishes in seconds or minutes.
 *
 * <pre>{@code
 * rdd.mapPartitions(it -> { ExecutorThreads.forThisTask(); ... });
 * }</pre>
 */
public final class ExecutorThreads {
    private ExecutorThreads() { }

    /** Sets this task thread's native op threads to the task's cores (1 outside a task); returns that count. */
    public static int forThisTask() {
        TaskContext task = TaskContext.get();
        int cores = task == null ? 1 : Math.max(1, task.cpus());
        if (OpThreads.get() != cores) OpThreads.set(cores);
        return cores;
    }
}
