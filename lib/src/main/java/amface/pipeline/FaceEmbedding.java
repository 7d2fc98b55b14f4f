package amface.pipeline;

import java.nio.file.Path;

import amface.align.AlignedFace;

/**
 * One photo through the {@link FacePipeline}: its embedding (already combined with the mirror image's by the flip
 * mode) and the aligned face it came from, with how many faces the detector found in the photo.
 *
 * @param photo     the photo file
 * @param embedding the combined embedding, not normalised
 * @param face      the aligned chip (the model's input size) and the detected face it was cut from
 */
public record FaceEmbedding(Path photo, float[] embedding, AlignedFace face) {
    /** Faces the detector found in the photo (the largest was used). */
    public int facesFound() { return face.facesFound(); }

    /** Cosine similarity with {@code other}'s embedding (1 = same direction; 0 when either is all zero). */
    public double similarity(FaceEmbedding other) {
        return FacePipeline.cosine(embedding, other.embedding);
    }
}
