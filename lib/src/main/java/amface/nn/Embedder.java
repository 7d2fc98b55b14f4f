package amface.nn;

import java.util.List;

import amface.image.RgbImage;

/**
 * Anything that turns aligned face images into embeddings: a trained amface model, or a test double.
 * Images must already have the model's input size (aligned chips); the embedder normalises pixels itself.
 */
public interface Embedder {

    /** Input height in pixels (112 for the reference models). */
    int inputHeight();

    /** Input width in pixels (96 or 112 for the reference models). */
    int inputWidth();

    /** Length of one embedding. */
    int embeddingSize();

    /** One embedding per image, in order, not normalised. */
    float[][] embed(List<RgbImage> images);
}
