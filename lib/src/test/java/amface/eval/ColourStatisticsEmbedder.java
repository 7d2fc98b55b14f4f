package amface.eval;

import java.util.List;

import amface.image.RgbImage;
import amface.nn.Embedder;

/**
 * A deterministic stand-in for a network: per image, the mean of each colour channel in each quadrant (12 values,
 * so mirroring changes them) and the standard deviation of each channel (3 values). Counts its calls.
 */
final class ColourStatisticsEmbedder implements Embedder {
    private final int width;
    private final int height;
    int calls;
    int largestBatch;

    ColourStatisticsEmbedder(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override public int inputHeight() { return height; }

    @Override public int inputWidth() { return width; }

    @Override public int embeddingSize() { return 15; }

    @Override
    public float[][] embed(List<RgbImage> images) {
        calls++;
        largestBatch = Math.max(largestBatch, images.size());
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) out[i] = statistics(images.get(i));
        return out;
    }

    static float[] statistics(RgbImage img) {
        int w = img.width(), h = img.height();
        double[] sum = new double[12];
        int[] count = new int[4];
        double[] all = new double[3], sq = new double[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
                count[q]++;
                for (int c = 0; c < 3; c++) {
                    int v = img.get(x, y, c);
                    sum[q * 3 + c] += v;
                    all[c] += v;
                    sq[c] += (double) v * v;
                }
            }
        }
        float[] e = new float[15];
        for (int q = 0; q < 4; q++) for (int c = 0; c < 3; c++) e[q * 3 + c] = (float) (sum[q * 3 + c] / Math.max(1, count[q]) / 255 - 0.5);
        int n = w * h;
        for (int c = 0; c < 3; c++) {
            double m = all[c] / n;
            e[12 + c] = (float) (Math.sqrt(Math.max(0, sq[c] / n - m * m)) / 255);
        }
        return e;
    }
}
