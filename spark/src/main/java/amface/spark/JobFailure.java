package amface.spark;

import java.io.IOException;

import org.apache.spark.SparkException;

/**
 * A failed Spark job as one clear error. Spark throws {@link SparkException} (a checked exception Java code never
 * sees declared) whose message holds the executor's exception, stack trace and all; the first line names the
 * problem (the image, the model file, the output folder).
 */
final class JobFailure {
    private JobFailure() { }

    /** {@code e} as an {@link IOException} for {@code job} when it is a Spark job failure; other exceptions unchanged. */
    static RuntimeException rethrow(String job, Exception e) throws IOException {
        if (e instanceof SparkException) throw new IOException(job + " failed: " + firstLine(e.getMessage()), e);
        if (e instanceof RuntimeException r) return r;
        throw new IOException(job + " failed: " + e.getMessage(), e);
    }

    /** A failed training round as the trainer's {@link amface.train.TrainingException}, naming its first cause. */
    static RuntimeException training(Exception e) {
        if (e instanceof SparkException) return new amface.train.TrainingException("spark train failed: " + firstLine(e.getMessage()), e);
        if (e instanceof RuntimeException r) return r;
        return new amface.train.TrainingException("spark train failed: " + e.getMessage(), e);
    }

    private static String firstLine(String msg) {
        if (msg == null) return "no message";
        int at = msg.indexOf('\n');
        return at < 0 ? msg : msg.substring(0, at);
    }
}
