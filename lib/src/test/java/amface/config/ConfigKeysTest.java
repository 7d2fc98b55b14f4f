package amface.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The one settings parser: types, lists, ranges with an unset value, choices, registries, required keys, prefixes. */
class ConfigKeysTest {

    /** A registry's names, as a backbone or head registry lists them. */
    public static final class Colours implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("red", "green").iterator();
        }
    }

    static final class Toy {
        @Setting(help = "a count", range = "[1, inf)")
        public int count = 3;
        @Setting(help = "a probability; -1: unset", range = "(0, 1]", unset = "-1", aliases = "--p")
        public double probability = -1;
        @Setting(help = "a size", label = "HxW")
        public String size = "";
        @Setting(help = "a mode", choices = {"fast", "slow"})
        public String mode = "fast";
        @Setting(help = "a colour", choicesOf = Colours.class)
        public String colour = "red";
        @Setting(help = "seeds")
        public long[] seeds = {};
        @Setting(help = "scales", range = "(0, inf)")
        public double[] scales = {30};
        @Setting(help = "a folder")
        public Path folder;
        @Setting(help = "on by default")
        public boolean mirror = true;
        @Setting(help = "must be given", required = true)
        public int needed;
    }

    static final ConfigKeys<Toy> KEYS = new ConfigKeys<>(Toy.class, Toy::new, "toy.");

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    @Test
    void parsesEveryTypeAndWritesItBack() {
        Toy t = KEYS.apply(new Toy(), props("toy.count", " 5 ", "toy.probability", "0.5", "toy.mode", "SLOW", "toy.colour", "green",
            "toy.seeds", "1, 2,,3", "toy.scales", "16,64", "toy.folder", "a/b", "toy.mirror", "false", "toy.needed", "1"), "t.properties");
        assertEquals(5, t.count);
        assertEquals(0.5, t.probability);
        assertEquals("SLOW", t.mode);
        assertArrayEquals(new long[] {1, 2, 3}, t.seeds);
        assertArrayEquals(new double[] {16, 64}, t.scales);
        assertEquals(Path.of("a/b"), t.folder);
        Properties back = KEYS.toProperties(t);
        assertEquals("1,2,3", back.getProperty("toy.seeds"));
        assertEquals("16.0,64.0", back.getProperty("toy.scales"));
        Toy again = KEYS.apply(new Toy(), back, "back");
        assertEquals(back, KEYS.toProperties(again));
        assertNull(KEYS.apply(new Toy(), props("toy.folder", "", "toy.needed", "1"), "t").folder, "an empty path is unset");
    }

    @Test
    void describesKeysForHelp() {
        ConfigKey p = KEYS.get("toy.probability");
        assertEquals(List.of("--probability", "--p"), p.flags());
        assertEquals("in (0, 1] or -1", p.validValues());
        assertEquals("-1.0", p.defaultText());
        assertEquals(List.of("--no-mirror"), KEYS.get("toy.mirror").flags());
        assertEquals("one of red, green", KEYS.get("toy.colour").validValues());
        assertTrue(KEYS.get("toy.colour").choicesFromRegistry());
        assertEquals("HxW", KEYS.get("toy.size").label());
        assertNull(KEYS.get("toy.size").defaultText());
        assertEquals("30.0", KEYS.get("toy.scales").defaultText());
    }

    @Test
    void refusalsAreOneLineNamingSourceKeyAndValue() {
        String[][] cases = {
            {"toy.count", "0", "t: toy.count = 0 is out of range: must be in [1, inf)"},
            {"toy.count", "many", "t: toy.count = 'many' is not a valid integer"},
            {"toy.probability", "1.5", "toy.probability = 1.5 is out of range: must be in (0, 1] or -1"},
            {"toy.probability", "-0.5", "toy.probability = -0.5 is out of range"},
            {"toy.probability", "NaN", "toy.probability = 'NaN' is not a valid number"},
            {"toy.mode", "medium", "toy.mode = 'medium' is not one of fast, slow"},
            {"toy.colour", "blue", "toy.colour = 'blue' is not one of red, green"},
            {"toy.seeds", "1, two", "toy.seeds = '1, two': 'two' is not a whole number"},
            {"toy.scales", "30, 0", "toy.scales = 0.0 is out of range"},
            {"toy.mirror", "yes", "toy.mirror = 'yes' is not a valid boolean"},
            {"toy.bogus", "1", "t: unknown setting 'toy.bogus' (known: "},
        };
        for (String[] c : cases) {
            Properties p = props(c[0], c[1], "toy.needed", "1");
            String msg = assertThrows(IllegalArgumentException.class, () -> KEYS.apply(new Toy(), p, "t")).getMessage();
            assertTrue(msg.contains(c[2]) && !msg.contains("\n"), c[0] + " = " + c[1] + ": " + msg);
        }
        assertEquals("t lacks 'toy.needed'", assertThrows(IllegalArgumentException.class, () -> KEYS.apply(new Toy(), props(), "t")).getMessage());
        Toy t = new Toy();
        t.count = -4; // set in code: check() finds it
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KEYS.check(t, "code")).getMessage().contains("toy.count = -4"));
    }

    @Test
    void smallParsers() {
        assertArrayEquals(new int[] {112, 96}, ConfigKey.heightWidth(" 112X96 ", "input"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigKey.heightWidth("112", "input")).getMessage()
            .contains("input must be HEIGHTxWIDTH"));
        assertArrayEquals(new int[] {16, 24, 28}, ConfigKey.ints("16, 24,28", "lrSteps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigKey.ints("16,x", "lrSteps")).getMessage()
            .contains("lrSteps: 'x' is not an integer"));
    }
}
