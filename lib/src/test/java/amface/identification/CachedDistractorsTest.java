package amface.identification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.eval.FlipMode;

/**
 * Cached synthetic distractors: a run stopped part-way continues from the chunks it wrote and delivers exactly the
 * distractors an uncached run paints, in order and in blocks of any size; a larger count reuses the smaller run's
 * chunks; another key starts over; a damaged chunk is painted again.
 */
class CachedDistractorsTest {
    @TempDir
    Path tmp;

    private static final int CHUNK = 16;
    private static final int N = CHUNK * 2 + 5;

    private static SyntheticDistractors painted(int count) {
        return new SyntheticDistractors(new LfwDistractorProtocolTest.MeanColour(), FlipMode.NONE, 7, 0.5, count, 8);
    }

    private static List<float[]> drain(DistractorSource s, int block) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (float[][] b = s.next(block); b.length > 0; b = s.next(block)) out.addAll(List.of(b));
        return out;
    }

    @Test
    void aStoppedRunContinuesAndEqualsAnUncachedOne() throws IOException {
        List<float[]> truth = drain(painted(N), 10);
        assertEquals(N, truth.size());
        Path dir = tmp.resolve("cache");
        // a first run stopped after its first chunk (a kill: it never asks for more)
        CachedDistractors first = CachedDistractors.of(dir, "k", painted(N), CHUNK, s -> { });
        assertEquals(7, first.next(7).length);
        assertTrue(Files.exists(dir.resolve("chunk-000000.bin")));

        SyntheticDistractors second = painted(N);
        List<String> log = new ArrayList<>();
        CachedDistractors again = CachedDistractors.of(dir, "k", second, CHUNK, log::add);
        List<float[]> got = drain(again, 5);
        assertEquals(CHUNK, again.reused(), "the first chunk comes from the cache");
        assertEquals(N, got.size());
        for (int i = 0; i < N; i++) assertArrayEquals(truth.get(i), got.get(i), 0f, "distractor " + i);

        // everything cached now: a rerun paints nothing; a larger count paints only the rest
        SyntheticDistractors larger = painted(N + 10);
        CachedDistractors more = CachedDistractors.of(dir, "k", larger, CHUNK, log::add);
        List<float[]> all = drain(more, 40);
        assertEquals(N, more.reused());
        assertEquals(N + 10, all.size());
        assertArrayEquals(drain(painted(N + 10), 40).get(N + 7), all.get(N + 7), 0f);

        // a damaged chunk is painted again; another key starts over
        Path c1 = dir.resolve("chunk-000001.bin");
        Files.write(c1, java.util.Arrays.copyOf(Files.readAllBytes(c1), 50));
        CachedDistractors damaged = CachedDistractors.of(dir, "k", painted(N), CHUNK, log::add);
        List<float[]> again2 = drain(damaged, 10);
        assertEquals(N - CHUNK, damaged.reused(), "a run of the smaller count takes no more than it asks for from the larger run's chunks");
        assertEquals(N, again2.size());
        assertArrayEquals(truth.get(CHUNK + 5), again2.get(CHUNK + 5), 0f);
        assertTrue(log.stream().anyMatch(l -> l.contains("chunk-000001.bin: cannot be read")), log.toString());
        CachedDistractors other = CachedDistractors.of(dir, "another model", painted(N), CHUNK, log::add);
        drain(other, 10);
        assertEquals(0, other.reused());
        assertTrue(log.stream().anyMatch(l -> l.contains("starting over")), log.toString());
    }
}
