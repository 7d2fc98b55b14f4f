package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableHtmlTest {

    static Table table(int rows) {
        int[] m = new int[rows];
        double[] acc = new double[rows];
        String[] head = new String[rows];
        for (int i = 0; i < rows; i++) {
            m[i] = i;
            acc[i] = 0.9 + i / 1000.0;
            head[i] = i == 0 ? "<b>soft&max</b>" : "am" + i;
        }
        return Table.create("sweep", IntColumn.create("row", m), StringColumn.create("head", head), DoubleColumn.create("accuracy", acc));
    }

    @Test
    void shortTableHasEveryRowEscapedAndNumbersRightAligned() {
        String html = TableHtml.html(table(3), 20);
        assertTrue(html.contains("<caption>sweep (3 rows)</caption>"), html);
        assertTrue(html.contains("<th>row</th><th>head</th><th>accuracy</th>"), html);
        assertTrue(html.contains("&lt;b&gt;soft&amp;max&lt;/b&gt;"), html);
        assertFalse(html.contains("<b>soft"), "cell text must be escaped");
        assertTrue(html.contains("<td style=\"text-align:right\">0.902</td>"), html);
        assertEquals(3, count(html, "<tr><td"));
        assertFalse(html.contains("more rows"));
    }

    @Test
    void longTableShowsHeadAndTailAroundTheElidedMiddle() {
        String html = TableHtml.html(table(100), 7);
        assertTrue(html.contains("93 more rows"), html);
        assertEquals(7 + 1, count(html, "<tr><td"));
        assertTrue(html.contains(">am3<") && !html.contains(">am4<") && html.contains(">am97<") && html.contains(">am99<"), html);
    }

    @Test
    void floatingPointCellsShowFiveSignificantDigits() {
        assertEquals("0.9575", TableHtml.number(0.9575000000000001));
        assertEquals("219.38", TableHtml.number(219.37808927089858));
        assertEquals("0.0028151", TableHtml.number(0.002815119210255556));
        assertEquals("240", TableHtml.number(240.0));
        assertEquals("1.5000e-05", TableHtml.number(1.5e-5));
        assertEquals("", TableHtml.number(Double.NaN));
        String html = TableHtml.html(tech.tablesaw.api.Table.create("t", tech.tablesaw.api.DoubleColumn.create("x", 1.0 / 3, Double.NaN)), 20);
        assertTrue(html.contains(">0.33333<") && html.contains("<td style=\"text-align:right\"></td>"), html);
    }

    @Test
    void rejectsTooFewRows() {
        assertThrows(IllegalArgumentException.class, () -> TableHtml.html(table(3), 1));
    }

    @Test
    void displayOutputCarriesHtmlAndText() {
        MimeBundle out = Display.tableOutput(table(2), 20);
        assertTrue(out.has(MimeBundle.HTML));
        assertTrue(out.get(MimeBundle.TEXT).contains("accuracy"), out.get(MimeBundle.TEXT));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
