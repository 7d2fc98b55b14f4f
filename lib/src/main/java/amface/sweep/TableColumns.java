package amface.sweep;

import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * The columns of a results table ({@link SweepSummary}, {@link SweepPaired}), each named once with its type, and its
 * rows appended as values in that order: the CSV header a class publishes and the rows it writes cannot drift apart.
 */
final class TableColumns {
    private final List<String> names = new ArrayList<>();
    private final List<ColumnType> types = new ArrayList<>();

    private TableColumns() { }

    static TableColumns of() {
        return new TableColumns();
    }

    TableColumns text(String... columns) {
        return add(ColumnType.STRING, columns);
    }

    TableColumns number(String... columns) {
        return add(ColumnType.DOUBLE, columns);
    }

    TableColumns count(String... columns) {
        return add(ColumnType.INTEGER, columns);
    }

    TableColumns flag(String... columns) {
        return add(ColumnType.BOOLEAN, columns);
    }

    private TableColumns add(ColumnType type, String... columns) {
        for (String c : columns) {
            names.add(c);
            types.add(type);
        }
        return this;
    }

    List<String> names() {
        return List.copyOf(names);
    }

    /** An empty table with these columns. */
    Table table(String title) {
        Table t = Table.create(title);
        for (int i = 0; i < names.size(); i++) t.addColumns(types.get(i).create(names.get(i)));
        return t;
    }

    /** Appends one row: a value per column, in column order (String, Double, Integer or Boolean as the column holds). */
    static void appendRow(Table table, Object... values) {
        if (values.length != table.columnCount()) {
            throw new IllegalArgumentException(values.length + " values for the " + table.columnCount() + " columns of " + table.name());
        }
        for (int i = 0; i < values.length; i++) table.column(i).appendObj(values[i]);
    }
}
