package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.testing.TestPaths;

/** {@code amface sweep --precision}: fp32 lists the published runs' hashes, bf16 lists other runs. */
class SweepPrecisionOptionTest {

    private static Set<String> listedHashes(String... args) {
        String[] r = MainTest.capture(args);
        assertEquals("0", r[0], r[2]);
        Set<String> hashes = new TreeSet<>();
        Matcher m = Pattern.compile("\\[([0-9a-f]{12})]").matcher(r[1]);
        while (m.find()) hashes.add(m.group(1));
        return hashes;
    }

    @Test
    void fp32KeepsThePublishedHashesAndBf16MakesOtherRuns(@TempDir Path out) throws Exception {
        Path config = TestPaths.projectRoot().resolve("configs/sweep-synthetic.properties");
        Set<String> published = new TreeSet<>();
        for (String line : Files.readAllLines(TestPaths.projectRoot().resolve("docs/results/synthetic-results.csv")).subList(1, 2)) {
            published.add(line.substring(0, line.indexOf(',')));
        }
        Set<String> fp32 = listedHashes("sweep", "--config", config.toString(), "--out", out.toString(), "--list", "--precision", "fp32");
        Set<String> bf16 = listedHashes("sweep", "--config", config.toString(), "--out", out.toString(), "--list", "--precision", "bf16");
        assertTrue(fp32.containsAll(published), "fp32 lists the published runs: " + published + " in " + fp32);
        assertEquals(fp32.size(), bf16.size());
        Set<String> common = new TreeSet<>(fp32);
        common.retainAll(bf16);
        assertTrue(common.isEmpty(), "bf16 runs are other runs: " + common);
    }
}
