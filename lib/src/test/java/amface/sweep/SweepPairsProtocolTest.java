package amface.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.Progress;
import amface.data.SyntheticFaces;

/** Protocol (c): any dataset (identities with enough images) and any pairs file, trained and evaluated end to end. */
class SweepPairsProtocolTest {

    @Test
    void trainsOnADatasetAndTestsOnAllPairsOfAFile(@TempDir Path tmp) throws Exception {
        SyntheticFaces.Written faces = SyntheticFaces.builder().seed(4).difficulty(0.1).size(20, 24).build()
            .writeDataset(tmp.resolve("faces"), 6, 6, 4, 40, Progress.NONE);
        // one person keeps 3 photos: below sweep.minImages = 4 it is not trained on
        try (var s = Files.list(faces.train().resolve(SyntheticFaces.identityName(2)))) {
            for (Path p : s.sorted().skip(3).toList()) Files.delete(p);
        }
        Path config = tmp.resolve("pairs.properties");
        Files.writeString(config, SweepTest.tinyConfig(10).replaceAll("(?m)^sweep\\.synthetic.*\\n", "")
            .replace("sweep.protocol = synthetic", "sweep.protocol = pairs")
            .replace("sweep.cells = softmax, normface, am:0.3", "sweep.cells = am:0.3")
            + "sweep.data = faces/train\nsweep.pairs = faces/pairs.txt\nsweep.pairsRoot = faces/heldout\nsweep.pairsExtension = png\nsweep.minImages = 4\n");

        SweepConfig c = SweepConfig.load(config);
        assertEquals(faces.train(), c.data());
        SweepProtocol protocol = SweepProtocol.of(c, tmp.resolve("out"));
        assertEquals(List.of(0), protocol.folds(), "one run per cell and seed, tested on every pair");
        SweepProtocol.Data data = protocol.data(0, Progress.NONE);
        assertEquals(5, data.train().identityCount());
        assertTrue(!data.train().identities().contains(SyntheticFaces.identityName(2)));
        assertEquals(40, data.test().size());

        SweepResults r = Sweep.of(c).out(tmp.resolve("out")).run();
        assertEquals(1, r.size());
        SweepRow row = r.rows().get(0);
        assertEquals("pairs", row.protocol());
        assertEquals(0, row.fold());
        assertEquals(5, row.identities());
        assertEquals(30, row.images());
        assertEquals(40, r.verification(row.hash()).pairs());
        assertEquals(row.accuracy(), r.verification(row.hash()).accuracyMean(), "the row and the saved distances agree");
        assertTrue(Double.isFinite(row.auc()) && Double.isFinite(row.finalLoss()), row.toString());
    }
}
