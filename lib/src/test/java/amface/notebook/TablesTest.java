package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

import amface.nn.Backend;
import amface.train.TrainConfig;

class TablesTest {
    static final Backend CPU = new Backend("CPU", "Test CPU (2 cores)", 2, true, false, "AVX512", 3L << 30, "linux-x86_64-onednn-avx512");

    @Test
    void backendTableHasOneRowPerProperty() {
        Table t = Tables.backend(CPU);
        assertEquals(List.of("property", "value"), t.columnNames());
        assertEquals(List.of("summary", "backend", "device", "cores", "oneDNN", "cuDNN", "SIMD build", "memory (GiB)", "nd4j native jar"),
            t.stringColumn("property").asList());
        assertEquals(List.of(CPU.summary(), "CPU", "Test CPU (2 cores)", "2", "true", "false", "AVX512", "3.0", "linux-x86_64-onednn-avx512"),
            t.stringColumn("value").asList());
        Backend unknownMemory = new Backend("CUDA", "GPU", 1, false, true, "", -1, "linux-x86_64");
        assertEquals("unknown", Tables.backend(unknownMemory).stringColumn("value").get(7));
    }

    @Test
    void configTableShowsTheNamedKeysInTheOrderGiven() {
        TrainConfig c = TrainConfig.defaults();
        c.m = 0.25;
        c.batch = 48;
        Table t = Tables.config(c, "m", "batch", "head", "data");
        assertEquals(List.of("m", "batch", "head", "data"), t.stringColumn("setting").asList());
        assertEquals(List.of(c.toProperties().getProperty("m"), "48", c.head, ""), t.stringColumn("value").asList());
        assertEquals("recipe", Tables.config("recipe", c, List.of("m")).name());
    }

    @Test
    void configTableRefusesAKeyThatIsNoSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tables.config(TrainConfig.defaults(), "m", "margin"));
        assertTrue(e.getMessage().contains("'margin'"), e.getMessage());
    }

    @Test
    void changedSettingsListsExactlyTheChangedKeysWithTheirDefaults() {
        TrainConfig c = TrainConfig.defaults();
        assertEquals(0, Tables.changedSettings(c).rowCount(), "defaults differ from nothing");
        c.steps = TrainConfig.defaults().steps + 7;
        c.optimizer = "adam".equals(c.optimizer) ? "sgd" : "adam";
        Table t = Tables.changedSettings(c);
        assertEquals(List.of("optimizer", "steps").stream().sorted().toList(), t.stringColumn("setting").asList().stream().sorted().toList());
        int row = t.stringColumn("setting").asList().indexOf("steps");
        assertEquals(String.valueOf(c.steps), t.stringColumn("value").get(row));
        assertEquals(String.valueOf(TrainConfig.defaults().steps), t.stringColumn("default").get(row));
    }
}
