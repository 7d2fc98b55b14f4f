package amface.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import amface.io.AtomicFile;
import amface.eval.VerificationEvaluator;
import amface.eval.VerificationResult;
import amface.head.HeadKind;

/**
 * A sweep's finished runs: {@code OUT/results.csv}, one row per run keyed by the run's hash, rewritten atomically
 * after every run (so a kill leaves it whole, and a run with a row is never trained or evaluated again); the
 * summary by cell ({@code summary.csv}, {@code summary.md}), the accuracy-vs-m plot ({@code accuracy-vs-m.png}) and
 * the training-loss curves by cell ({@code loss-curves.png});
 * each run's pair distances ({@code OUT/runs/HASH/distances.csv}), from which its full {@link VerificationResult}
 * is recomputed exactly.
 */
public final class SweepResults {
    public static final String FILE = "results.csv";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_MD = "summary.md";
    public static final String CHART_PNG = "accuracy-vs-m.png";
    public static final String LOSS_PNG = "loss-curves.png";
    public static final String DISTANCES = "distances.csv";
    /** The cells {@link #markdown} compares every other cell with, run by run. */
    static final List<String> PAIRED_BASELINES = List.of("softmax", "normface");

    private final Path out;
    private final Map<String, SweepRow> rows = new LinkedHashMap<>();
    /** True for {@link #only}'s selections: writing one would drop the folder's other rows from results.csv. */
    private final boolean selection;

    private SweepResults(Path out, boolean selection) {
        this.out = out;
        this.selection = selection;
    }

    /** The results under a sweep's output folder ({@code OUT/results.csv}; none yet when the file is absent). */
    public static SweepResults read(Path out) {
        SweepResults r = new SweepResults(out, false);
        Path file = out.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the sweep results: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) return r;
        String header = String.join(",", SweepRow.COLUMNS);
        if (!lines.get(0).strip().equals(header)) {
            throw new IllegalArgumentException(file + ":1: not a sweep results file; expected the header " + header);
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            SweepRow row = SweepRow.parse(lines.get(i), file + ":" + (i + 1));
            if (r.rows.containsKey(row.hash())) throw new IllegalArgumentException(file + ":" + (i + 1) + ": run " + row.hash() + " appears twice");
            r.rows.put(row.hash(), row);
        }
        return r;
    }

    public Path out() { return out; }

    public Path file() { return out.resolve(FILE); }

    public boolean contains(String hash) { return rows.containsKey(hash); }

    /** The row of run {@code hash}, or null. */
    public SweepRow get(String hash) { return rows.get(hash); }

    public List<SweepRow> rows() { return List.copyOf(rows.values()); }

    public int size() { return rows.size(); }

    /**
     * The rows of runs {@code hashes} only, for a folder that holds other grids' rows too (a pilot written into
     * the grid's folder so that the runs they share are trained once): its summary files are the grid's. Read-only.
     */
    public SweepResults only(Collection<String> hashes) {
        SweepResults r = new SweepResults(out, true);
        for (String h : hashes) {
            SweepRow row = rows.get(h);
            if (row != null) r.rows.put(h, row);
        }
        return r;
    }

    /** Adds a finished run and rewrites results.csv atomically. */
    public synchronized void add(SweepRow row) {
        requireWhole();
        if (rows.containsKey(row.hash())) throw new IllegalStateException("run " + row.hash() + " is already in " + file());
        rows.put(row.hash(), row);
        write();
    }

    /** Gives rows the backbone names of {@code modelByHash} (run hash to display name); rewrites the file if any changed. */
    public synchronized void relabel(Map<String, String> modelByHash) {
        requireWhole();
        boolean changed = false;
        for (Map.Entry<String, SweepRow> e : rows.entrySet()) {
            String name = modelByHash.get(e.getKey());
            if (name != null && !name.equals(e.getValue().model())) {
                e.setValue(e.getValue().withModel(name));
                changed = true;
            }
        }
        if (changed) write();
    }

    private void requireWhole() {
        if (selection) throw new IllegalStateException(file() + ": a selection of its rows cannot rewrite it");
    }

    private void write() {
        StringBuilder b = new StringBuilder(String.join(",", SweepRow.COLUMNS)).append('\n');
        for (SweepRow r : rows.values()) b.append(r.toCsv()).append('\n');
        try {
            AtomicFile.writeString(file(), b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file() + ": cannot write the sweep results: " + e.getMessage(), e);
        }
    }

    /** Every row as a Tablesaw table, columns as {@link SweepRow#COLUMNS}. */
    public Table table() {
        Collection<SweepRow> all = rows.values();
        Table t = Table.create("sweep results",
            StringColumn.create("hash", all.stream().map(SweepRow::hash)),
            StringColumn.create("protocol", all.stream().map(SweepRow::protocol)),
            IntColumn.create("fold", all.stream().mapToInt(SweepRow::fold).toArray()),
            LongColumn.create("seed", all.stream().mapToLong(SweepRow::seed).toArray()),
            StringColumn.create("cell", all.stream().map(SweepRow::cell)),
            StringColumn.create("head", all.stream().map(SweepRow::head)),
            DoubleColumn.create("m", all.stream().mapToDouble(SweepRow::m)),
            DoubleColumn.create("s", all.stream().mapToDouble(SweepRow::s)),
            BooleanColumn.create("learnedS", all.stream().map(SweepRow::learnedS).toList()),
            StringColumn.create("model", all.stream().map(SweepRow::model)),
            IntColumn.create("identities", all.stream().mapToInt(SweepRow::identities).toArray()),
            IntColumn.create("images", all.stream().mapToInt(SweepRow::images).toArray()),
            DoubleColumn.create("accuracy", all.stream().mapToDouble(SweepRow::accuracy)),
            DoubleColumn.create("accuracyStd", all.stream().mapToDouble(SweepRow::accuracyStd)),
            DoubleColumn.create("auc", all.stream().mapToDouble(SweepRow::auc)),
            DoubleColumn.create("eer", all.stream().mapToDouble(SweepRow::eer)),
            DoubleColumn.create("val", all.stream().mapToDouble(SweepRow::val)),
            DoubleColumn.create("far", all.stream().mapToDouble(SweepRow::far)),
            DoubleColumn.create("finalLoss", all.stream().mapToDouble(SweepRow::finalLoss)),
            DoubleColumn.create("finalScale", all.stream().mapToDouble(SweepRow::finalScale)),
            LongColumn.create("steps", all.stream().mapToLong(SweepRow::steps).toArray()),
            DoubleColumn.create("seconds", all.stream().mapToDouble(SweepRow::seconds)),
            StringColumn.create("finishedAt", all.stream().map(SweepRow::finishedAt)));
        return t;
    }

    /** Mean and spread by cell ({@link SweepSummary}). */
    public Table summary() {
        return SweepSummary.of(rows());
    }

    /** Accuracy vs m ({@link SweepChart}). */
    public XYChart chart() {
        return SweepChart.of(summary());
    }

    /** Training loss by cell and backbone from the runs' metrics ({@link SweepLossChart}). */
    public List<SweepLossChart.Curve> lossCurves() {
        return SweepLossChart.curves(out, rows());
    }

    /** Every other cell against {@code baselineCell} (e.g. {@code softmax}), run by run ({@link SweepPaired}). */
    public Table paired(String baselineCell) {
        return SweepPaired.against(rows(), baselineCell);
    }

    /**
     * The summary as a Markdown table ({@link SweepMarkdown}), followed by the paired comparisons against softmax and
     * NormFace where the sweep has them and runs to pair with.
     */
    public String markdown() {
        return markdown(lossCurves());
    }

    private String markdown(List<SweepLossChart.Curve> curves) {
        StringBuilder b = new StringBuilder(SweepMarkdown.encode(summary()));
        List<String> cells = rows.values().stream().map(SweepRow::cell).distinct().toList();
        for (String baseline : PAIRED_BASELINES) {
            if (!cells.contains(baseline)) continue;
            Table paired = paired(baseline);
            if (paired.rowCount() > 0) b.append('\n').append(SweepMarkdown.paired(paired));
        }
        if (!curves.isEmpty()) b.append('\n').append(SweepMarkdown.loss(curves));
        return b.toString();
    }

    /** Writes summary.csv, summary.md, accuracy-vs-m.png and loss-curves.png next to results.csv, each atomically. */
    public void writeSummary() {
        if (rows.isEmpty()) return;
        Table summary = summary();
        List<SweepLossChart.Curve> curves = lossCurves();
        try {
            AtomicFile.writeText(out.resolve(SUMMARY_CSV), w -> summary.write().csv(w));
            AtomicFile.writeString(out.resolve(SUMMARY_MD), markdown(curves));
            XYChart chart = SweepChart.of(summary);
            AtomicFile.writeStream(out.resolve(CHART_PNG), o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
            if (!curves.isEmpty()) {
                XYChart loss = SweepLossChart.of(curves);
                AtomicFile.writeStream(out.resolve(LOSS_PNG), o -> BitmapEncoder.saveBitmap(loss, o, BitmapEncoder.BitmapFormat.PNG));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the sweep summary: " + e.getMessage(), e);
        }
    }

    /** Writes a run's pair distances and labels, from which {@link #verification} recomputes its result. */
    static void writeDistances(Path runDir, VerificationResult result) throws IOException {
        double[] d = result.distances();
        boolean[] same = result.same();
        StringBuilder b = new StringBuilder("distance,same\n");
        for (int i = 0; i < d.length; i++) b.append(d[i]).append(',').append(same[i] ? 1 : 0).append('\n');
        AtomicFile.writeString(runDir.resolve(DISTANCES), b.toString());
    }

    /** The full verification result of a finished run (ROC, folds, misjudged pairs), recomputed from its distances. */
    public VerificationResult verification(String hash) {
        Path file = out.resolve("runs").resolve(hash).resolve(DISTANCES);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the run's pair distances: " + e.getMessage(), e);
        }
        List<double[]> pairs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",");
            try {
                pairs.add(new double[] {Double.parseDouble(f[0]), Integer.parseInt(f[1].strip())});
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'distance,same(0/1)', found '" + lines.get(i) + "'");
            }
        }
        double[] d = new double[pairs.size()];
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = pairs.get(i)[0];
            same[i] = pairs.get(i)[1] == 1;
        }
        return VerificationEvaluator.standard().evaluateDistances(d, same);
    }

    /** Every finished run's verification result keyed by its cell label and fold/seed (for VerificationTables.summary). */
    public Map<String, VerificationResult> verifications() {
        Map<String, VerificationResult> out = new LinkedHashMap<>();
        for (SweepRow r : rows.values()) {
            String key = r.cell() + (r.fold() > 0 ? " fold " + r.fold() : "") + " seed " + r.seed() + " " + r.model() + (!HeadKind.named(r.head()).normalised() ? "" : " s=" + SweepCell.number(r.s()));
            out.put(key, verification(r.hash()));
        }
        return out;
    }
}
