package amface.notebook;

import java.awt.image.BufferedImage;
import java.util.List;

import org.knowm.xchart.internal.chartpart.Chart;

import tech.tablesaw.api.Table;

/**
 * Rich output in a Java notebook: charts as PNG, tables as HTML, images, HTML and text, each in a new output
 * area (nothing happens outside a kernel). The methods return nothing on purpose: JJava prints the value of a
 * cell's last expression, so a returned handle would show up as an extra {@code Out[n]}. For output that is
 * replaced in place use {@link Displayed}, {@link LiveChart} or {@link LiveProgress}; the {@code ...Output}
 * methods render without showing (for tests and for {@link Displayed#update}).
 * <pre>{@code
 * import static amface.notebook.Display.*;
 * chart(lossChart);
 * table(results);
 * }</pre>
 */
public final class Display {
    /** Rows of a table shown by {@link #table(Table)} before the middle is elided. */
    public static final int DEFAULT_TABLE_ROWS = 20;

    private Display() { }

    /** An XChart chart (XY, category, pie, ...) as a PNG. */
    public static void chart(Chart<?, ?> chart) {
        Displayed.show(chartOutput(chart));
    }

    /** Several charts side by side in one PNG. */
    public static void charts(List<? extends Chart<?, ?>> charts) {
        Displayed.show(chartsOutput(charts));
    }

    /** A Tablesaw table as HTML (long tables elided to {@value #DEFAULT_TABLE_ROWS} rows). */
    public static void table(Table table) {
        table(table, DEFAULT_TABLE_ROWS);
    }

    public static void table(Table table, int maxRows) {
        Displayed.show(tableOutput(table, maxRows));
    }

    /** An AWT image as a PNG. */
    public static void image(BufferedImage image) {
        Displayed.show(imageOutput(image));
    }

    /** A grid of images (see {@link ImageGrid} for columns, captions and scale). */
    public static void images(ImageGrid grid) {
        grid.show();
    }

    /** An HTML fragment. */
    public static void html(String html) {
        Displayed.show(MimeBundle.html(html, html.replaceAll("<[^>]*>", "")));
    }

    /** Plain text in its own output area (unlike System.out, it can be updated in place). */
    public static void text(String text) {
        Displayed.show(MimeBundle.text(text));
    }

    /** The output {@link #chart} shows, without showing it. */
    public static MimeBundle chartOutput(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : "chart: " + chart.getTitle();
        return MimeBundle.png(ChartPng.png(chart), title);
    }

    /** The output {@link #charts} shows, without showing it. */
    public static MimeBundle chartsOutput(List<? extends Chart<?, ?>> charts) {
        return MimeBundle.png(ChartPng.png(ChartPng.row(charts)), charts.size() + " charts");
    }

    /** The output {@link #image} shows, without showing it. */
    public static MimeBundle imageOutput(BufferedImage image) {
        return MimeBundle.png(ChartPng.png(image), "image " + image.getWidth() + "x" + image.getHeight());
    }

    /** The output {@link #table} shows, without showing it. */
    public static MimeBundle tableOutput(Table table, int maxRows) {
        return MimeBundle.html(TableHtml.html(table, maxRows), TableHtml.text(table, maxRows));
    }
}
