package amface.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.align.AlignTemplate;
import amface.align.AlignedFace;
import amface.align.Face;
import amface.align.MtcnnDetector;
import amface.eval.FlipMode;
import amface.image.ImageReader;
import amface.image.ImageTransforms;
import amface.image.ImageWriter;
import amface.image.PixelNormalisation;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.nn.ModelMetadata;
import amface.testing.TestPaths;

/** The photo -> face -> embedding path on real photos (deepface's test set) with MTCNN and a small untrained model. */
class FacePipelineTest {
    /** A small ResFace with a 24x28 input: the 112x96 template's shape, so the chips are aligned and then shrunk. */
    static final BackboneSpec SMALL = BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 32, 64).input(28, 24).embeddingSize(16);

    private static MtcnnDetector mtcnn;
    private static FaceModel model;

    @BeforeAll
    static void load() {
        mtcnn = MtcnnDetector.builder().weights(TestPaths.sharedData("mtcnn")).build();
        model = FaceModel.create(SMALL);
    }

    @AfterAll
    static void close() {
        if (mtcnn != null) mtcnn.close();
    }

    private static Path photo(String name) {
        return TestPaths.sharedData("photos/deepface/" + name);
    }

    @Test
    void theTemplateFollowsTheModelsInputShape() {
        assertEquals(AlignTemplate.SIZE_112x96, FacePipeline.templateFor(96, 112));
        assertEquals(AlignTemplate.SIZE_112x112, FacePipeline.templateFor(112, 112));
        assertEquals(AlignTemplate.SIZE_112x96, FacePipeline.templateFor(24, 28));
        assertEquals(AlignTemplate.SIZE_112x112, FacePipeline.templateFor(64, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FacePipeline.templateFor(50, 60));
        assertTrue(e.getMessage().contains("50x60"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FacePipeline.templateFor(224, 224), "larger than the template");
    }

    @Test
    void theLargestOfSeveralFacesIsAlignedToTheModelsInput() throws Exception {
        FacePipeline p = FacePipeline.of(model, mtcnn);
        Path couple = photo("couple.jpg");
        AlignedFace a = p.align(couple);
        assertTrue(a.facesFound() >= 2, "two people in couple.jpg, found " + a.facesFound());
        assertEquals(24, a.chip().width());
        assertEquals(28, a.chip().height());
        // The chosen box is the largest of the detections on the same shrunk copy, in full-size coordinates.
        RgbImage full = ImageReader.read(couple);
        double s = (double) Math.max(full.width(), full.height()) / FacePipeline.DEFAULT_DETECTION_SIZE;
        List<Face> faces = mtcnn.detect(ImageTransforms.resize(full, (int) Math.round(full.width() / s), (int) Math.round(full.height() / s)));
        double largest = faces.stream().mapToDouble(f -> f.width() * f.height()).max().orElseThrow();
        double chosen = a.face().width() * a.face().height() / ((double) full.width() / Math.round(full.width() / s))
            / ((double) full.height() / Math.round(full.height() / s));
        assertEquals(largest, chosen, largest * 1e-9);
        assertTrue(a.face().x2() <= full.width() + 1 && a.face().y2() <= full.height() + 1 && a.face().x2() > full.width() / 4.0,
            "box in full-size coordinates: " + a.face());
    }

    @Test
    void searchingAShrunkCopyFindsTheSameFaceAsTheFullPhoto() {
        // img17.jpg is 1000x541: full size and a 512-pixel copy give landmarks a few pixels apart.
        Path p = photo("img17.jpg");
        AlignedFace full = FacePipeline.of(model, mtcnn).withDetectionSize(0).align(p);
        AlignedFace shrunk = FacePipeline.of(model, mtcnn).withDetectionSize(512).align(p);
        for (int i = 0; i < 5; i++) {
            assertEquals(full.face().landmarks().x(i), shrunk.face().landmarks().x(i), 6, "landmark " + i + " x");
            assertEquals(full.face().landmarks().y(i), shrunk.face().landmarks().y(i), 6, "landmark " + i + " y");
        }
    }

    @Test
    void embeddingsUseTheModelsNormalisationAndFlipMode() throws Exception {
        Path p = photo("img2.jpg");
        FacePipeline none = FacePipeline.of(model, mtcnn);
        assertEquals(FlipMode.NONE, none.flip(), "an old model's flip mode");
        FaceEmbedding e = none.embed(p);
        RgbImage chip = e.face().chip();
        assertArrayEquals(model.embed(List.of(chip))[0], e.embedding(), "the chip's embedding as it is");
        assertEquals(1.0, e.similarity(none.embed(p)), 1e-12, "a photo is itself");

        FaceModel meanModel = model.withMetadata(model.metadata().withFlip("mean"));
        FacePipeline mean = FacePipeline.of(meanModel, mtcnn);
        assertEquals(FlipMode.MEAN, mean.flip(), "the model's recommended flip mode");
        float[] o = model.embed(List.of(chip))[0], m = model.embed(List.of(ImageTransforms.flipHorizontal(chip)))[0];
        assertArrayEquals(FlipMode.MEAN.combine(o, m), mean.embed(p).embedding(), 1e-6f);
        assertArrayEquals(FlipMode.CONCAT.combine(o, m), mean.withFlip(FlipMode.CONCAT).embed(p).embedding(), 1e-6f);

        FaceModel insight = model.withMetadata(ModelMetadata.DEFAULT.withNormalisation(PixelNormalisation.INSIGHTFACE));
        float[] withOwn = FacePipeline.of(insight, mtcnn).embed(p).embedding();
        assertArrayEquals(insight.embed(List.of(chip))[0], withOwn);
        assertFalse(Arrays.equals(o, withOwn), "another normalisation, another embedding");
    }

    @Test
    void aPhotoAndItsHalfSizeCopyAreTheSameFace(@TempDir Path dir) throws Exception {
        Path p = photo("img20.jpg");
        Path half = dir.resolve("half.png");
        RgbImage full = ImageReader.read(p);
        ImageWriter.write(ImageTransforms.resize(full, full.width() / 2, full.height() / 2), half);
        FacePipeline pipeline = FacePipeline.of(model, mtcnn);
        List<FaceEmbedding> e = pipeline.embed(List.of(p, half, photo("img2.jpg")));
        double same = e.get(0).similarity(e.get(1)), other = e.get(0).similarity(e.get(2));
        System.out.printf("img20 vs its half-size copy %.5f, vs img2 %.5f%n", same, other);
        assertTrue(same > 0.99 && same > other, "alignment undoes the scale: " + same + " vs another person " + other);
    }

    @Test
    void unusablePhotosAreNamed(@TempDir Path dir) throws Exception {
        FacePipeline p = FacePipeline.of(model, mtcnn);
        Path grey = dir.resolve("grey.png");
        byte[] px = new byte[200 * 150 * 3];
        Arrays.fill(px, (byte) 128);
        ImageWriter.write(new RgbImage(200, 150, px), grey);
        PhotoException e = assertThrows(PhotoException.class, () -> p.embed(grey));
        assertEquals(grey, e.photo());
        assertTrue(e.getMessage().startsWith(grey + ": no face found"), e.getMessage());
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "not a photo");
        e = assertThrows(PhotoException.class, () -> p.embed(text));
        assertTrue(e.getMessage().startsWith(text + ": cannot read the photo"), e.getMessage());
        Path absent = dir.resolve("absent.jpg");
        e = assertThrows(PhotoException.class, () -> p.embed(List.of(photo("img2.jpg"), absent)));
        assertTrue(e.getMessage().contains(absent + ": cannot read the photo: no such file"), e.getMessage());
    }
}
