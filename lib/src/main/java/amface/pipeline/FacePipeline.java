package amface.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import amface.align.AlignTemplate;
import amface.align.AlignedFace;
import amface.align.Face;
import amface.align.FaceAligner;
import amface.align.FaceSelection;
import amface.align.FaceDetector;
import amface.align.Landmarks;
import amface.eval.FlipMode;
import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.ImageTransforms;
import amface.image.RgbImage;
import amface.nn.Embedder;
import amface.nn.FaceModel;

/**
 * The one path from a photo to a face embedding, shared by {@code amface verify} and {@code calibrate} (and meant
 * for identification and Spark jobs): read the photo, detect faces, take the largest box, align its five landmarks
 * to the template of the model's input size (112x96 or 112x112, scaled when the model is smaller), embed the chip
 * with the model's own pixel normalisation, and combine it with the mirror image's embedding by the model's flip
 * mode. A photo that cannot be read or holds no face is a {@link PhotoException} naming the file. Immutable;
 * thread-safe when the detector is.
 *
 * <pre>{@code
 * FacePipeline p = FacePipeline.of(FaceModel.load(model), mtcnn);    // .withFlip(FlipMode.MEAN)
 * FaceEmbedding a = p.embed(Path.of("a.jpg")), b = p.embed(Path.of("b.jpg"));
 * double s = a.similarity(b);                                         // same person when s > threshold
 * }</pre>
 */
public final class FacePipeline {
    private final FaceModel model;
    private final FaceDetector detector;
    private final FlipMode flip;
    private final int detectionSize;
    private final AlignTemplate template;
    /** What turns chips into embeddings: the model itself, or a faster engine for it (amface.inference). */
    private final Embedder embedder;

    /** Longest side photos are shrunk to for detection by default: phone photos are 4000 pixels wide. */
    public static final int DEFAULT_DETECTION_SIZE = 1024;

    private FacePipeline(FaceModel model, FaceDetector detector, FlipMode flip, int detectionSize, Embedder embedder) {
        this.model = Objects.requireNonNull(model, "model");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.flip = Objects.requireNonNull(flip, "flip");
        if (detectionSize < 0) throw new IllegalArgumentException("detection size must be 0 (full size) or positive, got " + detectionSize);
        this.detectionSize = detectionSize;
        this.template = templateFor(model.inputWidth(), model.inputHeight());
        this.embedder = embedder;
    }

    /**
     * The same pipeline with chips embedded by {@code e} (an inference engine for this model: same input size and
     * normalisation), e.g. {@code InferenceEngine.embedder(model, int8, precision)}.
     */
    public FacePipeline withEmbedder(Embedder e) {
        if (e.inputWidth() != model.inputWidth() || e.inputHeight() != model.inputHeight() || e.embeddingSize() != model.embeddingSize()) {
            throw new IllegalArgumentException("the embedder's input or embedding size differs from the model's");
        }
        return new FacePipeline(model, detector, flip, detectionSize, e);
    }

    /** The pipeline of {@code model} with its recommended flip mode, finding faces with {@code detector}. */
    public static FacePipeline of(FaceModel model, FaceDetector detector) {
        return new FacePipeline(model, detector, FlipMode.parse(model.metadata().flip()), DEFAULT_DETECTION_SIZE, model);
    }

    /** The same pipeline with another flip mode (a stored threshold holds only for the mode it was calibrated with). */
    public FacePipeline withFlip(FlipMode mode) {
        return new FacePipeline(model, detector, mode, detectionSize, embedder);
    }

    /**
     * Faces are searched on a copy of the photo shrunk to at most {@code longestSide} pixels (0: at full size), then
     * aligned from the full-size photo. MTCNN's time grows with the pixels, and the smallest face it finds (20 pixels
     * by default) grows by the same factor.
     */
    public FacePipeline withDetectionSize(int longestSide) {
        return new FacePipeline(model, detector, flip, longestSide, embedder);
    }

    public FaceModel model() { return model; }

    public FlipMode flip() { return flip; }

    /** Longest side of the copy faces are searched on (0: full size). */
    public int detectionSize() { return detectionSize; }

    /** The alignment template the chips are cut with (before scaling to a smaller model input). */
    public AlignTemplate template() { return template; }

    /** Reads {@code photo} and aligns its largest face to the model's input size. */
    public AlignedFace align(Path photo) {
        RgbImage image;
        try {
            image = ImageReader.read(photo);
        } catch (BadImageException e) {
            throw new PhotoException(photo, "cannot read the photo: " + e.reason(), e);
        }
        return align(photo, image);
    }

    /** Aligns the largest face of {@code image} (read from {@code photo}, named in errors) to the model's input size. */
    public AlignedFace align(Path photo, RgbImage image) {
        int longest = Math.max(image.width(), image.height());
        double scale = detectionSize > 0 && longest > detectionSize ? (double) longest / detectionSize : 1;
        RgbImage searched = scale == 1 ? image : ImageTransforms.resize(image,
            Math.max(1, (int) Math.round(image.width() / scale)), Math.max(1, (int) Math.round(image.height() / scale)));
        List<Face> faces = detector.detect(searched);
        int largest = FaceSelection.largest(faces);
        if (largest < 0) {
            throw new PhotoException(photo, "no face found (" + detector.name() + " on " + searched.width() + "x" + searched.height() + " pixels"
                + (searched == image ? ")" : ", shrunk from " + image.width() + "x" + image.height() + "; small faces may need a larger detection size)"), null);
        }
        Face face = scaled(faces.get(largest), searched.width() == image.width() ? 1 : (double) image.width() / searched.width(),
            searched.height() == image.height() ? 1 : (double) image.height() / searched.height());
        RgbImage chip = FaceAligner.warp(image, face.landmarks(), template);
        if (chip.width() != model.inputWidth() || chip.height() != model.inputHeight()) {
            chip = ImageTransforms.resize(chip, model.inputWidth(), model.inputHeight());
        }
        return new AlignedFace(chip, AlignedFace.Status.ALIGNED, face, faces.size());
    }

    /** The embedding of the largest face in {@code photo}. */
    public FaceEmbedding embed(Path photo) {
        return embed(List.of(photo)).get(0);
    }

    /** The embeddings of the largest face in each photo, embedded in one batch; the first bad photo stops it. */
    public List<FaceEmbedding> embed(List<Path> photos) {
        List<AlignedFace> faces = new ArrayList<>(photos.size());
        for (Path p : photos) faces.add(align(p));
        return embedAligned(photos, faces);
    }

    /**
     * Embeds each photo on its own, showing progress: the photos that could be used by photo, in order; each that
     * could not goes into {@code unusable} with the reason, and the rest carry on.
     */
    public java.util.Map<Path, FaceEmbedding> embedEach(List<Path> photos, amface.data.Progress progress, java.util.Map<Path, String> unusable) {
        java.util.Map<Path, FaceEmbedding> out = new java.util.LinkedHashMap<>();
        progress.start("Embedding " + photos.size() + " photos", photos.size());
        for (int i = 0; i < photos.size(); i++) {
            Path p = photos.get(i);
            try {
                out.put(p, embed(p));
            } catch (PhotoException e) {
                unusable.put(p, e.getMessage());
            }
            progress.update(i + 1, p.getFileName().toString());
        }
        progress.finish(out.size() + " photos embedded, " + (photos.size() - out.size()) + " unusable");
        return out;
    }

    /** Embeds chips already aligned by {@link #align}: originals and mirror images in one batch, combined by the flip mode. */
    public List<FaceEmbedding> embedAligned(List<Path> photos, List<AlignedFace> faces) {
        if (photos.size() != faces.size()) throw new IllegalArgumentException(photos.size() + " photos but " + faces.size() + " faces");
        List<RgbImage> batch = new ArrayList<>(faces.size() * 2);
        for (AlignedFace f : faces) batch.add(f.chip());
        if (flip.needsMirror()) for (AlignedFace f : faces) batch.add(ImageTransforms.flipHorizontal(f.chip()));
        float[][] e = embedder.embed(batch);
        List<FaceEmbedding> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            float[] combined = flip.combine(e[i], flip.needsMirror() ? e[faces.size() + i] : null);
            out.add(new FaceEmbedding(photos.get(i), combined, faces.get(i)));
        }
        return out;
    }

    /** {@code f} in the coordinates of an image {@code sx} times wider and {@code sy} times higher. */
    private static Face scaled(Face f, double sx, double sy) {
        if (sx == 1 && sy == 1) return f;
        double[] xs = f.landmarks().xs(), ys = f.landmarks().ys();
        for (int i = 0; i < xs.length; i++) { xs[i] *= sx; ys[i] *= sy; }
        return new Face(f.x1() * sx, f.y1() * sy, f.x2() * sx, f.y2() * sy, f.score(), new Landmarks(xs, ys));
    }

    /** The template whose shape the model input has: 96:112 or square. */
    static AlignTemplate templateFor(int width, int height) {
        AlignTemplate t = AlignTemplate.ofShape(width, height);
        if (t == null || width > t.width()) {
            throw new IllegalArgumentException("the model's input is " + width + "x" + height + " (width x height): faces are aligned"
                + " only to 96x112 or 112x112 templates or smaller inputs of the same shape");
        }
        return t;
    }

    /** Cosine similarity, accumulated in double; 0 when either vector is all zero. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embeddings of different lengths: " + a.length + " and " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
