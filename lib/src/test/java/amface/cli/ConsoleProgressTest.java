package amface.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void aResumedJobsRateAndEtaCountOnlyItsOwnWork() {
        ConsoleProgress p = new ConsoleProgress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        p.start("train", 3000);
        p.alreadyDone(750);
        long t0 = System.nanoTime();
        String resumed = p.line(750, "resumed", t0);
        // The bug this pins: 750 steps over a few microseconds printed "ETA 0m00s 215827338.1/s".
        assertTrue(resumed.contains(" 0.0/s") && !resumed.contains("ETA"), resumed);
        String later = p.line(850, "", t0 + 100_000_000_000L);
        assertTrue(later.contains("ETA 35m5") && later.contains(" 1.0/s"), later);
    }

    @Test
    void aFreshJobCountsEveryUnit() {
        ConsoleProgress p = new ConsoleProgress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        p.start("embed", 100);
        String line = p.line(50, "", System.nanoTime() + 10_000_000_000L);
        assertTrue(line.contains(" 5.0/s") && line.contains("ETA 0m10s"), line);
        assertFalse(line.contains("resumed"), line);
    }
}
