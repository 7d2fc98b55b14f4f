package amface.notebook;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.knowm.xchart.internal.chartpart.Chart;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import amface.align.AlignedFace;
import amface.eval.VerificationResult;
import amface.eval.VerificationTables;
import amface.image.RgbImage;
import amface.nn.Backend;
import amface.nn.FaceModel;
import amface.train.TrainConfig;

/**
 * How a cell's value shows when the cell ends with it: amface's types, XChart charts and Tablesaw tables as HTML or
 * PNG, one method per type. The kernel's startup script ({@code environment/kernel-startup.jshell}) registers
 * {@link #render} for every type in {@link #types()} with JJava's renderer, so {@code Backend.describe()} as the
 * last line of a cell shows a table without a {@link Display} call. Everything here also works outside a kernel.
 * <pre>{@code
 * MimeBundle out = Renderers.render(Backend.describe());   // text/html + text/plain
 * Renderers.types();                                        // what the kernel registers
 * }</pre>
 */
public final class Renderers {
    /** Small images (face chips are 56-112 pixels tall) are scaled up by whole factors to at least this height. */
    static final int MIN_IMAGE_HEIGHT = 112;
    private static final int MAX_IMAGE_SCALE = 4;

    /** Type to renderer, most specific first where types could overlap. */
    private static final Map<Class<?>, Function<Object, MimeBundle>> BY_TYPE = new LinkedHashMap<>();

    static {
        on(VerificationResult.class, Renderers::verification);
        on(Backend.class, Renderers::backend);
        on(TrainConfig.class, Renderers::config);
        on(FaceModel.class, Renderers::model);
        on(RgbImage.class, Renderers::image);
        on(AlignedFace.class, Renderers::alignedFace);
        on(Chart.class, Renderers::chart);
        on(Table.class, Renderers::table);
    }

    private Renderers() { }

    private static <T> void on(Class<T> type, Function<T, MimeBundle> renderer) {
        BY_TYPE.put(type, o -> renderer.apply(type.cast(o)));
    }

    /** The types {@link #render} knows (JJava matches a value to a registered type along its class hierarchy). */
    public static List<Class<?>> types() {
        return List.copyOf(BY_TYPE.keySet());
    }

    /** The MIME type a value of {@code type} is shown as: image/png for charts and images, text/html otherwise. */
    public static String mimeType(Class<?> type) {
        return Chart.class.isAssignableFrom(type) || RgbImage.class.isAssignableFrom(type) || AlignedFace.class.isAssignableFrom(type)
            ? MimeBundle.PNG : MimeBundle.HTML;
    }

    /** {@code value} as the notebook shows it; an error for a type not in {@link #types()}. */
    public static MimeBundle render(Object value) {
        for (Map.Entry<Class<?>, Function<Object, MimeBundle>> e : BY_TYPE.entrySet()) {
            if (e.getKey().isInstance(value)) return e.getValue().apply(value);
        }
        throw new IllegalArgumentException("no notebook renderer for " + (value == null ? "null" : value.getClass().getName()) + " (known: " + types() + ")");
    }

    /** The headline figures (accuracy, VAL@FAR, AUC, EER) over the per-fold table; text: {@link VerificationResult#summary()}. */
    public static MimeBundle verification(VerificationResult r) {
        Table headline = Table.create(String.format(Locale.ROOT, "verification: %d pairs, %d folds, %s", r.pairs(), r.folds(), r.metric().description()),
            StringColumn.create("figure", "accuracy", "VAL @ FAR", "AUC", "EER"),
            StringColumn.create("value",
                String.format(Locale.ROOT, "%.4f ± %.4f", r.accuracyMean(), r.accuracyStd()),
                String.format(Locale.ROOT, "%.4f ± %.4f @ FAR %.5f (target %s)", r.val(), r.valStd(), r.far(), r.farTarget()),
                String.format(Locale.ROOT, "%.5f", r.auc()),
                String.format(Locale.ROOT, "%.5f", r.eer())));
        Table folds = VerificationTables.folds(r);
        String html = TableHtml.html(headline, Display.DEFAULT_TABLE_ROWS) + TableHtml.html(folds, Display.DEFAULT_TABLE_ROWS);
        return MimeBundle.html(html, r.summary());
    }

    /** The backend's properties as a table ({@link Tables#backend}). */
    public static MimeBundle backend(Backend b) {
        return table(Tables.backend(b));
    }

    /** The settings that differ from the defaults, with each default ({@link Tables#changedSettings}), none elided. */
    public static MimeBundle config(TrainConfig c) {
        Table changed = Tables.changedSettings(c);
        return Display.tableOutput(changed, Math.max(Display.DEFAULT_TABLE_ROWS, changed.rowCount()));
    }

    /** The backbone, its input and embedding size, parameters and the classes it was trained on. */
    public static MimeBundle model(FaceModel m) {
        Table t = Table.create("face model",
            StringColumn.create("property", "backbone", "input (height x width)", "embedding size", "parameters", "trained on"),
            StringColumn.create("value", m.spec().toString(), m.inputHeight() + "x" + m.inputWidth(), String.valueOf(m.embeddingSize()),
                String.format(Locale.ROOT, "%,d", m.graph().numParams()), m.classNames().size() + " identities"));
        return MimeBundle.html(TableHtml.html(t, Display.DEFAULT_TABLE_ROWS), m.toString());
    }

    /** An image as a PNG, small ones (face chips) scaled up by a whole factor so they can be seen. */
    public static MimeBundle image(RgbImage image) {
        return MimeBundle.png(ChartPng.png(ImageGrid.of(List.of(image)).scale(scaleFor(image.height())).gap(0).image()),
            "image " + image.width() + "x" + image.height());
    }

    /** The face chip with how it was aligned (landmarks or the centre-crop fallback) and how many faces were found. */
    public static MimeBundle alignedFace(AlignedFace f) {
        String caption = f.status().label() + ", " + f.facesFound() + (f.facesFound() == 1 ? " face" : " faces");
        BufferedImage im = ImageGrid.of(List.of(f.chip())).scale(scaleFor(f.chip().height())).captions(List.of(caption)).image();
        return MimeBundle.png(ChartPng.png(im), "aligned face " + f.chip().width() + "x" + f.chip().height() + " (" + caption + ")");
    }

    /** An XChart chart as a PNG ({@link Display#chartOutput}). */
    public static MimeBundle chart(Chart<?, ?> chart) {
        return Display.chartOutput(chart);
    }

    /** A Tablesaw table as HTML ({@link Display#tableOutput}, long tables elided). */
    public static MimeBundle table(Table table) {
        return Display.tableOutput(table, Display.DEFAULT_TABLE_ROWS);
    }

    /** The whole factor (1 to 4) that brings an image at least {@link #MIN_IMAGE_HEIGHT} pixels tall. */
    static int scaleFor(int height) {
        int s = (MIN_IMAGE_HEIGHT + height - 1) / Math.max(1, height);
        return Math.max(1, Math.min(MAX_IMAGE_SCALE, s));
    }
}
