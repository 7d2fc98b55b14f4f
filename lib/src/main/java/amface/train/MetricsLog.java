package amface.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The per-step metrics of a run as a Tablesaw table, written to {@code metrics.csv} (atomically) with every
 * checkpoint. On resume the rows after the checkpoint's step are dropped: they are trained again.
 */
public final class MetricsLog {
    public static final String FILE = "metrics.csv";
    private final List<StepMetrics> rows = new ArrayList<>();
    private final List<Double> verification = new ArrayList<>();

    public synchronized void add(StepMetrics m) {
        rows.add(m);
        verification.add(Double.NaN);
    }

    /** Records the verification accuracy on the row of {@code step}. */
    public synchronized void verified(long step, double accuracy) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).step() == step) {
                verification.set(i, accuracy);
                return;
            }
        }
    }

    public synchronized int size() {
        return rows.size();
    }

    public synchronized Table table() {
        int n = rows.size();
        long[] step = new long[n];
        long[] epoch = new long[n];
        double[] loss = new double[n], acc = new double[n], lr = new double[n], ips = new double[n], loader = new double[n],
            wait = new double[n], heap = new double[n], off = new double[n], sec = new double[n], ver = new double[n];
        for (int i = 0; i < n; i++) {
            StepMetrics m = rows.get(i);
            step[i] = m.step();
            epoch[i] = m.epoch();
            loss[i] = m.loss();
            acc[i] = m.accuracy();
            lr[i] = m.learningRate();
            ips[i] = m.imagesPerSecond();
            loader[i] = m.loaderImagesPerSecond();
            wait[i] = m.loaderWaitFraction();
            heap[i] = m.heapBytes() / 1048576.0;
            off[i] = m.offHeapBytes() / 1048576.0;
            sec[i] = m.seconds();
            ver[i] = verification.get(i);
        }
        return Table.create("metrics",
            LongColumn.create("step", step), LongColumn.create("epoch", epoch), DoubleColumn.create("loss", loss),
            DoubleColumn.create("accuracy", acc), DoubleColumn.create("lr", lr), DoubleColumn.create("images_per_s", ips),
            DoubleColumn.create("loader_images_per_s", loader), DoubleColumn.create("loader_wait", wait),
            DoubleColumn.create("heap_mb", heap), DoubleColumn.create("offheap_mb", off), DoubleColumn.create("seconds", sec),
            DoubleColumn.create("verification_accuracy", ver));
    }

    /** Writes the table to {@code file} through a temporary file. */
    public void write(Path file) throws IOException {
        Table t = table();
        amface.io.AtomicFile.write(file, tmp -> t.write().csv(tmp.toFile()));
    }

    /** Reads a metrics file, keeping the rows up to and including {@code lastStep}; an absent file gives an empty log. */
    public static MetricsLog read(Path file, long lastStep) throws IOException {
        MetricsLog log = new MetricsLog();
        if (!Files.isRegularFile(file)) return log;
        Table t = Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).missingValueIndicator("", "NaN")
            .columnTypes(name -> ColumnType.DOUBLE).build());
        for (int i = 0; i < t.rowCount(); i++) {
            long step = (long) t.numberColumn("step").getDouble(i);
            if (step > lastStep) continue;
            log.add(new StepMetrics(step, (long) num(t, "epoch", i), num(t, "loss", i), num(t, "accuracy", i), num(t, "lr", i),
                num(t, "images_per_s", i), num(t, "loader_images_per_s", i), num(t, "loader_wait", i),
                (long) (num(t, "heap_mb", i) * 1048576), (long) (num(t, "offheap_mb", i) * 1048576), num(t, "seconds", i)));
            log.verified(step, num(t, "verification_accuracy", i));
        }
        return log;
    }

    private static double num(Table t, String column, int row) {
        if (!t.columnNames().contains(column)) return Double.NaN;
        double v = t.numberColumn(column).getDouble(row);
        return v;
    }

    /** The losses in step order (for comparisons and plots). */
    public synchronized double[] losses() {
        return rows.stream().mapToDouble(StepMetrics::loss).toArray();
    }
}
