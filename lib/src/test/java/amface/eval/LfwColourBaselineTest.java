package amface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;

import amface.cli.Main;
import amface.data.LfwPairs;
import amface.testing.TestPaths;

/**
 * The whole chain on real LFW images, with colour statistics standing in for a network: 30 same and 30 different
 * pairs from each of the ten View 2 folds (so the protocol's folds stay balanced, as in the full file), embedded
 * with and without flip, written as CSV, evaluated by {@code amface eval}, and shown as tables, charts and a
 * gallery of the hardest mistakes (PNG files under lib/target/test-artifacts/eval/lfw-colour).
 */
class LfwColourBaselineTest {

    @Test
    void colourStatisticsOnLfwPairsThroughTheCli() throws Exception {
        Path pairsFile = TestPaths.sharedData("lfw/pairs.txt");
        Path root = TestPaths.sharedData("lfw/lfw-deepfunneled");
        Path dir = TestPaths.buildDir("eval/lfw-colour");
        LfwPairs all = LfwPairs.read(pairsFile);
        List<List<LfwPairs.Pair>> folds = new java.util.ArrayList<>();
        for (List<LfwPairs.Pair> fold : all.folds()) {
            List<LfwPairs.Pair> some = new java.util.ArrayList<>(fold.subList(0, 30));
            some.addAll(fold.subList(300, 330));
            folds.add(some);
        }
        LfwPairs subset = LfwPairs.of(folds);
        Path subsetFile = dir.resolve("pairs-10x60.txt");
        subset.write(subsetFile);
        List<String> images = EmbeddingExtractor.imagesOf(subset.pairs());

        Map<String, VerificationResult> runs = new LinkedHashMap<>();
        VerificationPairs sumPairs = null;
        for (FlipMode flip : List.of(FlipMode.NONE, FlipMode.SUM)) {
            Embeddings e = EmbeddingExtractor.of(new ColourStatisticsEmbedder(250, 250)).withFlip(flip).withBatchSize(50).extract(root, images);
            Path csv = dir.resolve("colour-" + flip.cliName() + ".csv");
            EmbeddingsCsv.write(csv, e);
            Path json = dir.resolve("colour-" + flip.cliName() + ".json");
            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                code = Main.run("eval", "--pairs", subsetFile.toString(), "--embeddings", csv.toString(), "--json", json.toString());
            } finally {
                System.setOut(old);
            }
            System.out.println(out.toString(StandardCharsets.UTF_8));
            assertEquals(0, code);
            String text = Files.readString(json);
            assertTrue(text.contains("\"pairs\": 600,"), text);

            VerificationPairs vp = VerificationPairs.match(subset.pairs(), e, false, csv.toString());
            VerificationResult r = VerificationEvaluator.standard().evaluate(vp);
            assertTrue(text.contains("\"acc_mean\": " + r.accuracyMean() + ","), "the CLI and the library agree");
            runs.put("colour, flip " + flip.cliName(), r);
            if (flip == FlipMode.SUM) sumPairs = vp;
        }
        // Colour is a weak cue, but LFW pairs of one person often share a photo session.
        for (VerificationResult r : runs.values()) {
            assertTrue(r.accuracyMean() > 0.55 && r.accuracyMean() < 0.8, r.toString());
            assertTrue(r.auc() > 0.55, r.toString());
        }
        System.out.println(VerificationTables.summary(runs).print());

        VerificationResult sum = runs.get("colour, flip sum");
        System.out.println(VerificationTables.folds(sum).print());
        BitmapEncoder.saveBitmap(VerificationCharts.roc(runs, VerificationCharts.FprAxis.LOG), dir.resolve("roc-log").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(VerificationCharts.distanceHistogram(sum, 50), dir.resolve("distances").toString(), BitmapEncoder.BitmapFormat.PNG);
        List<HardPair> accepts = HardPairsGallery.falseAccepts(sumPairs, sum, 8);
        List<HardPair> rejects = HardPairsGallery.falseRejects(sumPairs, sum, 8);
        assertEquals(8, accepts.size());
        assertTrue(accepts.stream().noneMatch(p -> p.pair().same()));
        assertTrue(rejects.stream().allMatch(p -> p.pair().same()));
        BufferedImage gallery = HardPairsGallery.render("hardest false accepts", accepts, root, 4, 96);
        ImageIO.write(gallery, "png", dir.resolve("false-accepts.png").toFile());
        ImageIO.write(HardPairsGallery.render("hardest false rejects", rejects, root, 4, 96), "png", dir.resolve("false-rejects.png").toFile());
        assertEquals(4 * (2 * 96 + 6 + 6) + 6, gallery.getWidth());
    }
}
