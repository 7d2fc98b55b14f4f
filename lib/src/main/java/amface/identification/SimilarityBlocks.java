package amface.identification;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores of one set of embeddings against another as a blocked fp32 matrix product (ND4J's GEMM): the score is the
 * dot product, the cosine similarity when the rows are L2-normalised (the callers normalise; see
 * {@link TemplatePooling#normalise}). Callers keep blocks small (a few thousand rows) so that no probes x gallery
 * matrix is ever held whole.
 */
public final class SimilarityBlocks {
    private SimilarityBlocks() { }

    /** {@code out[i][j] = a[i] . b[j]}. */
    public static float[][] dot(float[][] a, float[][] b) {
        if (a.length == 0 || b.length == 0) return new float[a.length][b.length];
        int d = a[0].length;
        for (float[] r : b) if (r.length != d) throw new IllegalArgumentException("embeddings of dimension " + r.length + " and " + d);
        for (float[] r : a) if (r.length != d) throw new IllegalArgumentException("embeddings of dimension " + r.length + " and " + d);
        try (INDArray x = Nd4j.create(a); INDArray y = Nd4j.create(b); INDArray yt = y.transpose(); INDArray s = x.castTo(DataType.FLOAT).mmul(yt)) {
            return s.toFloatMatrix();
        }
    }

    /** The rows {@code from} (inclusive) to {@code to} (exclusive) of {@code rows}, without copying the vectors. */
    public static float[][] slice(float[][] rows, int from, int to) {
        return java.util.Arrays.copyOfRange(rows, from, to);
    }
}
