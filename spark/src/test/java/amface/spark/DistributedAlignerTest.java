package amface.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.align.DatasetAligner;
import amface.align.OpThreads;
import amface.io.FolderInUseException;
import amface.io.FolderLock;
import amface.testing.TestPaths;

/**
 * The distributed alignment on {@code local[2]} against {@code amface align}'s {@link DatasetAligner} over a small
 * LFW subset with one damaged image: the same files byte for byte, the damaged image listed, a rerun resuming.
 */
class DistributedAlignerTest {
    private static JavaSparkContext sc;
    private static AlignSettings settings;

    @TempDir
    static Path tmp;
    private static Path raw;
    private static Path single;

    @BeforeAll
    static void start() throws IOException {
        settings = AlignSettings.mtcnn(TestPaths.sharedData("mtcnn"));
        raw = LfwSubset.write(tmp.resolve("raw"), 3, 3);
        Files.writeString(raw.resolve("Adrien_Brody/.hidden.jpg"), "not listed");
        // The single-machine reference, one op thread per image as amface align runs it.
        int before = OpThreads.set(1);
        single = tmp.resolve("single");
        DatasetAligner.builder(settings.newAligner()).input(raw).output(single).threads(2).build().run();
        OpThreads.set(before);
        sc = LocalSpark.start("DistributedAlignerTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    @Test
    void sameFilesAsAmfaceAlignAndResumes() throws IOException {
        Path out = tmp.resolve("spark");
        DatasetAligner.Summary s = DistributedAligner.builder(settings).input(raw.toUri().toString()).output(out).batch(5).build().run(sc);
        assertEquals(10, s.images());
        assertEquals(1, s.unreadable(), s.problems().toString());
        assertTrue(s.problems().get(0).contains("Broken_0001.jpg"), s.problems().toString());
        assertEquals(9, s.aligned() + s.fallback());
        assertSameFiles(single, out);

        // A chip lost after the run is redone; everything else is kept.
        Path chip = out.resolve("Abdullah_Gul").resolve(OutputFiles.of(out).keySet().stream().filter(f -> f.startsWith("Abdullah_Gul/")).findFirst().orElseThrow().substring(13));
        Files.delete(chip);
        DatasetAligner.Summary again = DistributedAligner.builder(settings).input(raw.toString()).output(out).build().run(sc);
        assertEquals(1, again.redone());
        assertEquals(9, again.resumed());
        assertSameFiles(single, out);
    }

    @Test
    void anOwnedOutputOrAMissingInputIsRefusedAndNothingIsWritten() throws IOException {
        Path out = tmp.resolve("owned");
        try (FolderLock lock = FolderLock.acquire(out, "another job")) {
            assertThrows(FolderInUseException.class, () -> DistributedAligner.builder(settings).input(raw.toString()).output(out).build().run(sc));
        }
        Path out2 = tmp.resolve("never");
        IOException e = assertThrows(IOException.class, () -> DistributedAligner.builder(settings).input(tmp.resolve("absent").toString()).output(out2).build().run(sc));
        assertTrue(e.getMessage().contains("absent: no such folder"), e.getMessage());
        try (Stream<Path> s = Files.list(out2)) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals(FolderLock.FILE)).toList());
        }
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        TreeMap<String, byte[]> a = OutputFiles.of(expected), b = OutputFiles.of(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k + " differs");
    }
}
