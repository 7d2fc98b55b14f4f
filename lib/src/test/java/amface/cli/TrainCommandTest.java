package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import amface.config.ConfigKey;
import amface.train.TrainConfig;

/** {@code amface train}'s options, generated from {@link TrainConfig}: every key, every old flag, --set, ranges. */
class TrainCommandTest {

    /** The config a command line would train with, without training. */
    static TrainConfig config(String... args) {
        List<String> all = new ArrayList<>(List.of("--out", "run", "--data", "faces"));
        all.addAll(List.of(args));
        CommandLine cli = new CommandLine(new TrainCommand());
        cli.parseArgs(all.toArray(String[]::new));
        TrainCommand c = cli.getCommand();
        return c.config(c.given());
    }

    @Test
    void everySettingIsAnOptionWithItsHelpAndDefault() {
        var options = new CommandLine(new TrainCommand()).getCommandSpec().optionsMap();
        for (ConfigKey key : TrainConfig.keys().all()) {
            for (String flag : key.flags()) assertTrue(options.containsKey(flag), key.name() + ": " + flag);
        }
        String help = new CommandLine(new TrainCommand()).getUsageMessage();
        assertTrue(help.contains("--model=NAME") && help.contains("lresnet50e-ir-112"), help);
        assertTrue(help.contains("(in [1, inf); default 256)"), help);
        assertTrue(help.contains("sphereface"), help);
    }

    @Test
    void oldFlagsAreAliasesOfTheirKeys() {
        TrainConfig c = config("--keep-prob", "0.5", "--epoch-size", "10", "--learn-s", "--head-lr-mult", "2", "--no-mirror",
            "--epochs", "3", "--pairs-ext", "png", "--lr", "0.05", "--embedding-size", "64");
        assertEquals(0.5, c.dropoutKeep);
        assertEquals(10, c.stepsPerEpoch);
        assertTrue(c.learnScale);
        assertEquals(2, c.headLrMultiplier);
        assertFalse(c.mirror);
        assertEquals(30, c.steps, "--epochs x --epoch-size");
        assertEquals("png", c.pairsExtension);
        assertEquals(0.05, c.lr);
        assertEquals(64, c.embeddingSize);
        assertEquals(Path.of("faces"), c.data);

        TrainConfig d = TrainConfig.defaults();
        TrainConfig plain = config();
        assertEquals(d.dropoutKeep, plain.dropoutKeep);
        assertTrue(plain.mirror);
        assertEquals(d.steps, plain.steps);
        // the long names of the keys work too, and --set by key
        assertEquals(c.toProperties(), config("--dropout-keep", "0.5", "--steps-per-epoch", "10", "--learn-scale",
            "--head-lr-multiplier", "2", "--set", "mirror=false", "--epochs", "3", "--set", "pairsExtension=png", "--set", "lr=0.05",
            "--set", "embeddingSize=64").toProperties());
    }

    @Test
    void aHeadWithoutNumbersGetsItsPapers(@TempDir Path dir) throws Exception {
        TrainConfig arc = config("--head", "arcface");
        assertEquals(64, arc.s);
        assertEquals(0.5, arc.m);
        TrainConfig arcM = config("--head", "arc", "--m", "0.3");
        assertEquals(64, arcM.s);
        assertEquals(0.3, arcM.m);
        assertEquals(4, config("--set", "head=sphereface").m);
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "head = arcface\nm = 0.4\n");
        TrainConfig fromFile = config("--config", file.toString());
        assertEquals(0.4, fromFile.m, "the file's margin stays");
        assertEquals(64, fromFile.s);
        TrainConfig am = config();
        assertEquals(30, am.s);
        assertEquals(0.35, am.m);
    }

    @Test
    void badValuesAreOneLineNamingKeyAndValue(@TempDir Path dir) {
        String[][] cases = {
            {"--keep-prob", "1.5", "dropoutKeep = 1.5 is out of range: must be in (0, 1] or -1"},
            {"--batch", "0", "batch = 0 is out of range"},
            {"--momentum", "1", "momentum = 1.0 is out of range: must be in [0, 1)"},
            {"--set", "workers=-2", "workers = -2 is out of range"},
            {"--set", "bogus=1", "unknown setting 'bogus'"},
            {"--optimizer", "rmsprop", "optimizer = 'rmsprop' is not one of sgd, nesterov, adam"},
            {"--model", "resnet18", "model = 'resnet18' is not one of resface20"},
            {"--steps", "many", "steps = 'many' is not a valid integer"},
            {"--epochs", "0", "--epochs = 0 is out of range"},
        };
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            for (String[] c : cases) {
                buf.reset();
                int code = Main.run("train", "--out", dir.resolve("r").toString(), "--data", dir.toString(), c[0], c[1]);
                String out = buf.toString(StandardCharsets.UTF_8).strip();
                assertEquals(2, code, out);
                assertTrue(out.contains(c[2]) && !out.contains("\n") && !out.contains("Exception"), c[0] + " " + c[1] + ": " + out);
            }
            buf.reset();
            assertEquals(2, Main.run("train", "--out", dir.resolve("r").toString(), "--data", dir.toString(), "--m", "0.2", "--set", "m=0.3"));
            assertTrue(buf.toString(StandardCharsets.UTF_8).contains("m is given twice"), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
        assertFalse(Files.exists(dir.resolve("r")), "nothing is written for a refused command line");
    }
}
