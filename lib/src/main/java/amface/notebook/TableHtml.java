package amface.notebook;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as HTML for the notebook: a caption from the table's name, a header row, numbers right-aligned,
 * and for long tables the first and last rows around a "n more rows" marker.
 */
public final class TableHtml {
    private TableHtml() { }

    /** At most {@code maxRows} rows (at least 2); the middle ones are elided. */
    public static String html(Table table, int maxRows) {
        if (maxRows < 2) throw new IllegalArgumentException("maxRows must be at least 2, got " + maxRows);
        int rows = table.rowCount();
        int head = rows <= maxRows ? rows : (maxRows + 1) / 2;
        int tail = rows <= maxRows ? 0 : maxRows - head;
        StringBuilder s = new StringBuilder("<table class=\"amface-table\">");
        String name = table.name();
        if (name != null && !name.isBlank()) {
            s.append("<caption>").append(escape(name)).append(" (").append(rows).append(rows == 1 ? " row" : " rows").append(")</caption>");
        }
        s.append("<thead><tr>");
        for (Column<?> c : table.columns()) s.append("<th>").append(escape(c.name())).append("</th>");
        s.append("</tr></thead><tbody>");
        for (int r = 0; r < head; r++) row(s, table, r);
        if (tail > 0) {
            s.append("<tr><td colspan=\"").append(table.columnCount()).append("\" style=\"text-align:center\">&hellip; ")
                .append(rows - head - tail).append(" more rows &hellip;</td></tr>");
            for (int r = rows - tail; r < rows; r++) row(s, table, r);
        }
        return s.append("</tbody></table>").toString();
    }

    /** The table as fixed-width text (Tablesaw's own printout), for text-only front ends. */
    public static String text(Table table, int maxRows) {
        return table.print(maxRows);
    }

    private static void row(StringBuilder s, Table table, int r) {
        s.append("<tr>");
        for (Column<?> c : table.columns()) {
            String cell = c instanceof DoubleColumn d ? number(d.isMissing(r) ? Double.NaN : d.getDouble(r))
                : c instanceof FloatColumn f ? number(f.isMissing(r) ? Double.NaN : f.getDouble(r)) : c.getString(r);
            s.append(c instanceof NumericColumn<?> ? "<td style=\"text-align:right\">" : "<td>").append(escape(cell)).append("</td>");
        }
        s.append("</tr>");
    }

    /**
     * A floating-point cell with five significant digits (0.95750000000000001 shows as 0.9575, 219.37808 as 219.38),
     * plain notation between 1e-4 and 1e7; missing values are blank.
     */
    static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e7) return String.format(java.util.Locale.ROOT, "%.4e", v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(5)).stripTrailingZeros().toPlainString();
    }

    static String escape(String text) {
        if (text == null) return "";
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(ch);
            }
        }
        return s.toString();
    }
}
