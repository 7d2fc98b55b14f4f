package amface.align;

import java.util.List;

import amface.image.RgbImage;

/** Finds faces in an image. Implementations are safe to call from several threads at once. */
public interface FaceDetector extends AutoCloseable {

    /** The faces in {@code image}, best first; empty when there is none (or the image is too small to search). */
    List<Face> detect(RgbImage image);

    /** A short name for reports, such as {@code mtcnn} or {@code yunet}. */
    String name();

    @Override
    default void close() { }
}
