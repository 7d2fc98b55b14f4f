package amface.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import amface.data.LfwPairs;
import amface.eval.VerificationEvaluator;
import amface.eval.VerificationResult;
import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.ImageTensors;
import amface.image.PixelNormalisation;
import amface.image.InputFit;
import amface.image.RgbImage;
import amface.image.TensorLayout;

/**
 * Verification accuracy of the network being trained on a set of pairs (LFW protocol, 10-fold by default, via
 * {@link VerificationEvaluator}): each pair image is embedded once (resized to the input if needed, decoded images
 * kept), the embedding read from the graph's embedding layer in inference mode.
 */
public final class PairVerification {
    private final List<LfwPairs.ResolvedPair> pairs;
    private final int folds;
    private final Map<Path, RgbImage> images = new HashMap<>();

    public PairVerification(List<LfwPairs.ResolvedPair> pairs, int folds) {
        if (pairs.isEmpty()) throw new IllegalArgumentException("no verification pairs");
        this.pairs = List.copyOf(pairs);
        this.folds = folds;
    }

    /** LFW-style: 10 folds, or fewer when there are too few pairs for 10. */
    public static PairVerification of(List<LfwPairs.ResolvedPair> pairs) {
        return new PairVerification(pairs, Math.max(2, Math.min(10, pairs.size() / 20)));
    }

    public int size() { return pairs.size(); }

    /** Embeds the pair images with {@code graph} (vertex {@code embedding}) and evaluates. */
    public VerificationResult evaluate(ComputationGraph graph, String embedding, int height, int width, int batch) throws BadImageException {
        return evaluate(graph, embedding, height, width, batch, PixelNormalisation.AMFACE);
    }

    /** As above, with the pixels normalised as {@code normalisation} (the model's own). */
    public VerificationResult evaluate(ComputationGraph graph, String embedding, int height, int width, int batch,
                                       PixelNormalisation normalisation) throws BadImageException {
        Map<Path, Integer> index = new LinkedHashMap<>();
        for (LfwPairs.ResolvedPair p : pairs) {
            index.putIfAbsent(p.left(), index.size());
            index.putIfAbsent(p.right(), index.size());
        }
        List<Path> files = new ArrayList<>(index.keySet());
        float[][] emb = new float[files.size()][];
        int per = ImageTensors.floatsPerImage(height, width);
        for (int start = 0; start < files.size(); start += batch) {
            int n = Math.min(batch, files.size() - start);
            float[] data = new float[per * n];
            for (int i = 0; i < n; i++) ImageTensors.fill(image(files.get(start + i), height, width), TensorLayout.NHWC, false, normalisation, data, i * per);
            INDArray x = Nd4j.create(data, TensorLayout.NHWC.shape(n, height, width), 'c');
            INDArray out = graph.output(List.of(embedding), false, new INDArray[] {x}, null)[0];
            for (int i = 0; i < n; i++) emb[start + i] = out.getRow(i).toFloatVector();
        }
        float[][] left = new float[pairs.size()][];
        float[][] right = new float[pairs.size()][];
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            left[i] = emb[index.get(pairs.get(i).left())];
            right[i] = emb[index.get(pairs.get(i).right())];
            same[i] = pairs.get(i).pair().same();
        }
        return VerificationEvaluator.standard().withFolds(folds).evaluate(left, right, same);
    }

    private RgbImage image(Path file, int height, int width) throws BadImageException {
        RgbImage img = images.get(file);
        if (img == null) {
            img = ImageReader.read(file);
            img = InputFit.apply(img, width, height, file.toString());
            images.put(file, img);
        }
        return img;
    }
}
