package amface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.LfwPairs;
import amface.data.Progress;
import amface.image.BadImageException;
import amface.image.ImageWriter;
import amface.image.RgbImage;

class EmbeddingExtractorTest {
    @TempDir Path root;

    private final List<String> paths = new ArrayList<>();
    private final List<RgbImage> images = new ArrayList<>();

    /** Seven 12x10 PNGs (lossless, so the read pixels are exactly these). */
    private void writeImages() throws IOException {
        Random rnd = new Random(5);
        for (int i = 0; i < 7; i++) {
            byte[] rgb = new byte[12 * 10 * 3];
            rnd.nextBytes(rgb);
            RgbImage img = new RgbImage(12, 10, rgb);
            String rel = "P" + i % 3 + "/P" + i % 3 + "_000" + (i + 1) + ".png";
            ImageWriter.write(img, root.resolve(rel));
            paths.add(rel);
            images.add(img);
        }
    }

    /** Mirrored left to right, written out here independently of ImageTransforms. */
    private static RgbImage mirror(RgbImage img) {
        byte[] out = new byte[img.rgb().length];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) out[(y * img.width() + x) * 3 + c] = (byte) img.get(img.width() - 1 - x, y, c);
            }
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    @Test
    void embedsEveryImageInBatchesWhateverTheBatchSize() throws IOException {
        writeImages();
        ColourStatisticsEmbedder embedder = new ColourStatisticsEmbedder(12, 10);
        Embeddings e = EmbeddingExtractor.of(embedder).withBatchSize(3).extract(root, paths);
        assertEquals(paths, e.paths());
        assertEquals(15, e.dimension());
        for (int i = 0; i < paths.size(); i++) assertArrayEquals(ColourStatisticsEmbedder.statistics(images.get(i)), e.get(paths.get(i)), 0f);
        assertEquals(3, embedder.calls);
        assertEquals(3, embedder.largestBatch);

        Embeddings one = EmbeddingExtractor.of(new ColourStatisticsEmbedder(12, 10)).withBatchSize(1).extract(root, paths);
        for (String p : paths) assertArrayEquals(e.get(p), one.get(p), 0f);
    }

    @Test
    void flipModesCombineTheMirroredImagesEmbedding() throws IOException {
        writeImages();
        for (FlipMode flip : FlipMode.values()) {
            ColourStatisticsEmbedder embedder = new ColourStatisticsEmbedder(12, 10);
            Embeddings e = EmbeddingExtractor.of(embedder).withFlip(flip).withBatchSize(4).extract(root, paths);
            assertEquals(flip.dimension(15), e.dimension());
            assertEquals(flip.needsMirror() ? 8 : 4, embedder.largestBatch, "originals and mirrors go in one batch");
            for (int i = 0; i < paths.size(); i++) {
                float[] o = ColourStatisticsEmbedder.statistics(images.get(i));
                float[] m = ColourStatisticsEmbedder.statistics(mirror(images.get(i)));
                assertArrayEquals(flip.combine(o, m), e.get(paths.get(i)), 0f, flip + " " + paths.get(i));
            }
        }
        OriginalAndMirrored both = EmbeddingExtractor.of(new ColourStatisticsEmbedder(12, 10)).withBatchSize(5)
            .extractOriginalAndMirrored(paths, n -> amface.image.ImageReader.read(root.resolve(n)));
        for (FlipMode flip : FlipMode.values()) {
            Embeddings once = both.combine(flip);
            Embeddings direct = EmbeddingExtractor.of(new ColourStatisticsEmbedder(12, 10)).withFlip(flip).extract(root, paths);
            for (String p : paths) assertArrayEquals(direct.get(p), once.get(p), 0f, flip + " " + p);
        }
        // The mirror really differs: left and right quadrant means swap.
        float[] o = ColourStatisticsEmbedder.statistics(images.get(0));
        float[] m = ColourStatisticsEmbedder.statistics(mirror(images.get(0)));
        assertEquals(o[0], m[3], 1e-6f);
        assertTrue(Math.abs(o[0] - m[0]) > 1e-4);
    }

    @Test
    void reportsProgress() throws IOException {
        writeImages();
        List<String> events = new ArrayList<>();
        Progress recorder = new Progress() {
            @Override public void start(String task, long total) { events.add("start " + task + " " + total); }
            @Override public void update(long done, String detail) { events.add("update " + done); }
            @Override public void finish(String summary) { events.add("finish " + summary.substring(0, summary.indexOf(','))); }
        };
        EmbeddingExtractor.of(new ColourStatisticsEmbedder(12, 10)).withBatchSize(3).withProgress(recorder).extract(root, paths);
        assertEquals(List.of("start embed 7", "update 3", "update 6", "update 7", "finish 7 images"), events.stream()
            .map(e -> e.startsWith("finish") ? e.replaceAll(",.*", "") : e).toList());
    }

    @Test
    void missingFilesAreAllListedBeforeAnyWork() throws IOException {
        writeImages();
        List<String> more = new ArrayList<>(paths);
        more.add(3, "Q/Q_0001.png");
        more.add("Q/Q_0002.png");
        ColourStatisticsEmbedder embedder = new ColourStatisticsEmbedder(12, 10);
        BadImageException e = assertThrows(BadImageException.class, () -> EmbeddingExtractor.of(embedder).extract(root, more));
        assertTrue(e.getMessage().contains("2 of 9 images are missing: Q/Q_0001.png, Q/Q_0002.png"), e.getMessage());
        assertEquals(0, embedder.calls);
    }

    @Test
    void imagesOfTheWrongSizeAreNamed() throws IOException {
        writeImages();
        BadImageException e = assertThrows(BadImageException.class,
            () -> EmbeddingExtractor.of(new ColourStatisticsEmbedder(96, 112)).extract(root, paths));
        assertTrue(e.getMessage().contains(paths.get(0) + ": is 10x12 (HxW) but the model takes 112x96: the aspect ratios differ"), e.getMessage());
    }

    /** Issue 16 defect 9: the rule training uses: same aspect ratio, resized to the input. */
    @Test
    void imagesOfTheSameAspectRatioAreResized() throws IOException {
        writeImages();
        Embeddings e = EmbeddingExtractor.of(new ColourStatisticsEmbedder(24, 20)).extract(root, paths);
        assertEquals(paths, e.paths());
    }

    @Test
    void imagesOfPairsAreDistinctInOrder() {
        List<LfwPairs.Pair> pairs = List.of(
            new LfwPairs.Pair("A/A_0001.jpg", "A/A_0002.jpg", true, 2),
            new LfwPairs.Pair("A/A_0002.jpg", "B/B_0001.jpg", false, 3));
        assertEquals(List.of("A/A_0001.jpg", "A/A_0002.jpg", "B/B_0001.jpg"), EmbeddingExtractor.imagesOf(pairs));
    }
}
