package amface.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import amface.data.LfwPairs.Pair;

/**
 * Deterministic test sets: identities with a few images each, embeddings = separation * identity direction +
 * noise (times a random scale, so normalisation matters), and LFW-style pairs over them.
 */
final class SyntheticPairs {
    final List<Pair> pairs = new ArrayList<>();
    final Embeddings embeddings;
    final Embeddings mirrored;

    private SyntheticPairs(List<Pair> pairs, Embeddings embeddings, Embeddings mirrored) {
        this.pairs.addAll(pairs);
        this.embeddings = embeddings;
        this.mirrored = mirrored;
    }

    /**
     * {@code nPairs} pairs over {@code identities} people with {@code images} images each, embeddings of dimension
     * {@code dim}; {@code separation} 0 gives pure noise. {@code distinctPerIdentity} below {@code images} makes
     * several images share one embedding (tied distances). Same and different pairs alternate in blocks like LFW
     * unless {@code randomLabels}.
     */
    static SyntheticPairs generate(long seed, int nPairs, int identities, int images, int distinctPerIdentity, int dim,
                                   double separation, boolean randomLabels) {
        Random rnd = new Random(seed);
        double[][] centres = new double[identities][dim];
        for (double[] c : centres) {
            double n = 0;
            for (int k = 0; k < dim; k++) { c[k] = rnd.nextGaussian(); n += c[k] * c[k]; }
            n = Math.sqrt(n);
            for (int k = 0; k < dim; k++) c[k] /= n;
        }
        Embeddings.Builder emb = Embeddings.builder(dim);
        Embeddings.Builder mir = Embeddings.builder(dim);
        for (int id = 0; id < identities; id++) {
            float[][] distinct = new float[distinctPerIdentity][];
            float[][] distinctMirror = new float[distinctPerIdentity][];
            for (int j = 0; j < distinctPerIdentity; j++) {
                double scale = 0.5 + 3 * rnd.nextDouble();
                distinct[j] = new float[dim];
                distinctMirror[j] = new float[dim];
                for (int k = 0; k < dim; k++) {
                    double v = separation * centres[id][k] + rnd.nextGaussian() / Math.sqrt(dim);
                    distinct[j][k] = (float) (scale * v);
                    distinctMirror[j][k] = (float) (scale * (v + 0.3 * rnd.nextGaussian() / Math.sqrt(dim)));
                }
            }
            for (int i = 1; i <= images; i++) {
                emb.add(image(id, i), distinct[(i - 1) % distinctPerIdentity]);
                mir.add(image(id, i), distinctMirror[(i - 1) % distinctPerIdentity]);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (int p = 0; p < nPairs; p++) {
            boolean same = randomLabels ? rnd.nextBoolean() : (p / 3) % 2 == 0;
            int a = rnd.nextInt(identities);
            int ia = 1 + rnd.nextInt(images);
            if (same) {
                int ib = 1 + rnd.nextInt(images);
                pairs.add(new Pair(image(a, ia), image(a, ib), true, p + 2));
            } else {
                int b = (a + 1 + rnd.nextInt(identities - 1)) % identities;
                pairs.add(new Pair(image(a, ia), image(b, 1 + rnd.nextInt(images)), false, p + 2));
            }
        }
        return new SyntheticPairs(pairs, emb.build(), mir.build());
    }

    static String name(int id) {
        return "Person_" + (char) ('A' + id % 26) + id;
    }

    static String image(int id, int number) {
        String n = name(id);
        return n + "/" + n + "_" + String.format(Locale.ROOT, "%04d", number) + ".jpg";
    }

    /** Writes the pairs in LFW format (header line, then 'Name a b' / 'Name a Name b'). */
    static void writePairsFile(Path file, List<Pair> pairs) {
        // A header that matches the count where one exists (LfwPairs checks it); odd counts get one for the script only.
        StringBuilder s = new StringBuilder(pairs.size() % 20 == 0 ? "10\t" + pairs.size() / 20 + "\n" : "1\t" + pairs.size() / 2 + "\n");
        for (Pair p : pairs) {
            String[] l = split(p.left()), r = split(p.right());
            if (p.same()) s.append(l[0]).append('\t').append(l[1]).append('\t').append(r[1]).append('\n');
            else s.append(l[0]).append('\t').append(l[1]).append('\t').append(r[0]).append('\t').append(r[1]).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Name/Name_0007.jpg" -> {"Name", "7"}. */
    private static String[] split(String path) {
        String name = path.substring(0, path.indexOf('/'));
        String file = path.substring(path.lastIndexOf('_') + 1, path.lastIndexOf('.'));
        return new String[] {name, Integer.toString(Integer.parseInt(file))};
    }
}
