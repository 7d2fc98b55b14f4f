package amface.align;

import amface.image.RgbImage;

/**
 * The result of aligning one image: the face chip, whether it came from landmarks ({@link Status#ALIGNED}) or
 * from the centre-crop fallback ({@link Status#FALLBACK}), and the face used (null for the fallback).
 */
public record AlignedFace(RgbImage chip, Status status, Face face, int facesFound) {
    public enum Status {
        ALIGNED, FALLBACK;

        /** {@code aligned} or {@code fallback}, as in the landmarks CSV. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
