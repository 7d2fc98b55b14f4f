package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/** Tablesaw's row selections work on the library's classpath (an old fastutil from DL4J broke them). */
class TablesawSelectionTest {
    @Test
    void whereAndRowsSelect() {
        Table t = Table.create("t", DoubleColumn.create("x", 1, Double.NaN, 3, 4));
        Table kept = t.where(t.doubleColumn("x").isNotMissing().and(t.doubleColumn("x").isGreaterThan(1.5)));
        assertEquals(2, kept.rowCount());
        assertEquals(3.0, kept.doubleColumn("x").get(0));
        assertEquals(2, t.rows(0, 3).rowCount());
    }
}
