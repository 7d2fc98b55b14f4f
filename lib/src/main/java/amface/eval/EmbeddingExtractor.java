package amface.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import amface.data.LfwPairs;
import amface.data.Progress;
import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.InputFit;
import amface.image.ImageTransforms;
import amface.image.RgbImage;
import amface.nn.Embedder;

/**
 * Embeds the images of a dataset with any {@link Embedder}: reads them in batches, embeds the originals (and their
 * mirror images when the {@link FlipMode} asks for them, in the same batch), combines the two, and reports
 * progress. Images of another size are fitted to the embedder's input by {@link InputFit} (resized when the aspect
 * ratios agree, refused naming both sizes when not), the rule training uses too. Immutable; configure with the
 * {@code with...} methods.
 */
public final class EmbeddingExtractor {
    private static final int LISTED = 20;

    private final Embedder embedder;
    private final FlipMode flip;
    private final int batchSize;
    private final Progress progress;

    private EmbeddingExtractor(Embedder embedder, FlipMode flip, int batchSize, Progress progress) {
        this.embedder = embedder;
        this.flip = flip;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** Originals only, batches of 64, no progress shown. */
    public static EmbeddingExtractor of(Embedder embedder) {
        return new EmbeddingExtractor(Objects.requireNonNull(embedder, "embedder"), FlipMode.NONE, 64, Progress.NONE);
    }

    public EmbeddingExtractor withFlip(FlipMode flip) {
        return new EmbeddingExtractor(embedder, Objects.requireNonNull(flip, "flip"), batchSize, progress);
    }

    /** Images per batch (the embedder sees twice as many when mirrored images are needed). */
    public EmbeddingExtractor withBatchSize(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        return new EmbeddingExtractor(embedder, flip, batchSize, progress);
    }

    public EmbeddingExtractor withProgress(Progress progress) {
        return new EmbeddingExtractor(embedder, flip, batchSize, Objects.requireNonNull(progress, "progress"));
    }

    /** Length of the embeddings this extractor writes. */
    public int dimension() { return flip.dimension(embedder.embeddingSize()); }

    /** The distinct images that {@code pairs} name, in order of first mention. */
    public static List<String> imagesOf(List<LfwPairs.Pair> pairs) {
        Set<String> images = new LinkedHashSet<>();
        for (LfwPairs.Pair p : pairs) {
            images.add(p.left());
            images.add(p.right());
        }
        return List.copyOf(images);
    }

    /** As {@link #imagesOf(List)}, each path's extension replaced by {@code extension} ({@code .png} or {@code png}). */
    public static List<String> imagesOf(List<LfwPairs.Pair> pairs, String extension) {
        String ext = extension.startsWith(".") || extension.isEmpty() ? extension : "." + extension;
        List<String> out = new ArrayList<>();
        for (String p : imagesOf(pairs)) {
            int dot = p.lastIndexOf('.');
            out.add((dot > p.lastIndexOf('/') ? p.substring(0, dot) : p) + ext);
        }
        return out;
    }

    /**
     * Embeds {@code images} (paths relative to {@code root}); all missing files are listed before any work starts,
     * an unreadable image or one that does not fit the input ({@link InputFit}) stops the job naming the file.
     */
    public Embeddings extract(Path root, List<String> images) throws IOException {
        requirePresent(root, images);
        return extract(images, rel -> ImageReader.read(root.resolve(rel)));
    }

    /** Lists every image of {@code images} missing under {@code root} in one error (before any work), or returns. */
    public static void requirePresent(Path root, List<String> images) throws BadImageException {
        List<String> missing = new ArrayList<>();
        for (String rel : images) if (!Files.isRegularFile(root.resolve(rel))) missing.add(rel);
        if (!missing.isEmpty()) {
            throw new BadImageException(root.toString(), missing.size() + " of " + images.size() + " images are missing"
                + (missing.size() > LISTED ? " (first " + LISTED + ")" : "") + ": " + String.join(", ", missing.subList(0, Math.min(LISTED, missing.size()))));
        }
    }

    /** Where images come from by name: files under a root, or encoded images held in memory. */
    @FunctionalInterface
    public interface ImageSource {
        RgbImage read(String name) throws IOException;
    }

    /** Embeds the images {@code source} gives for {@code names}; a bad image or one that does not fit the input stops the job naming it. */
    public Embeddings extract(List<String> names, ImageSource source) throws IOException {
        Embeddings.Builder out = Embeddings.builder(flip.dimension(embedder.embeddingSize()));
        run(names, source, flip.needsMirror(), (name, original, mirrored) -> out.add(name, flip.combine(original, mirrored)));
        return out.build();
    }

    /**
     * The raw embeddings of the images and of their mirror images, embedded once, so that every {@link FlipMode}
     * can be compared without embedding again (the extractor's own flip mode is ignored).
     */
    public OriginalAndMirrored extractOriginalAndMirrored(List<String> names, ImageSource source) throws IOException {
        Embeddings.Builder original = Embeddings.builder(embedder.embeddingSize());
        Embeddings.Builder mirrored = Embeddings.builder(embedder.embeddingSize());
        run(names, source, true, (name, o, m) -> {
            original.add(name, o);
            mirrored.add(name, m);
        });
        return new OriginalAndMirrored(original.build(), mirrored.build());
    }

    private interface Sink {
        void accept(String name, float[] original, float[] mirrored);
    }

    private void run(List<String> images, ImageSource source, boolean mirror, Sink sink) throws IOException {
        int w = embedder.inputWidth(), h = embedder.inputHeight(), d = embedder.embeddingSize();
        progress.start("embed", images.size());
        long t0 = System.nanoTime();
        for (int start = 0; start < images.size(); start += batchSize) {
            List<String> batch = images.subList(start, Math.min(images.size(), start + batchSize));
            List<RgbImage> input = new ArrayList<>(batch.size() * (mirror ? 2 : 1));
            for (String rel : batch) {
                input.add(InputFit.apply(source.read(rel), w, h, rel));
            }
            if (mirror) {
                for (int i = 0; i < batch.size(); i++) input.add(ImageTransforms.flipHorizontal(input.get(i)));
            }
            float[][] e = embedder.embed(input);
            if (e.length != input.size()) throw new IllegalStateException("the embedder returned " + e.length + " embeddings for " + input.size() + " images");
            for (int i = 0; i < batch.size(); i++) {
                if (e[i].length != d || mirror && e[batch.size() + i].length != d) {
                    throw new IllegalStateException("the embedder returned " + e[i].length + " values, it declares " + d);
                }
                sink.accept(batch.get(i), e[i], mirror ? e[batch.size() + i] : null);
            }
            progress.update(start + batch.size(), "");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish(String.format(Locale.ROOT, "%d images%s, %.1f s, %.1f images/s",
            images.size(), mirror ? " and their mirror images" : "", seconds, images.size() / Math.max(seconds, 1e-9)));
    }
}
