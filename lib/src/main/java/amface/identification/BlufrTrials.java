package amface.identification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Matrix;

/**
 * The trials of the LFW-BLUFR benchmark (Liao, Lei, Yi, Li, IJCB 2014): an image list with identity labels and,
 * per trial, the test images (all pairs among them are the verification pairs) and their split into an open-set
 * gallery and probes. Indices here are 0-based into {@link #images()}.
 *
 * <p>{@link #read(Path)} reads the official {@code blufr_lfw_config.mat} (MATLAB v5, variables {@code imageList},
 * {@code labels}, and 10x1 cell arrays {@code testIndex}, {@code galIndex}, {@code probIndex} of 1-based index
 * vectors) with MFL, which parses data only. The file is not bundled; {@link #generate} draws BLUFR-style trials
 * from LFW instead. Our reading of the paper's split (the figures the BLUFR page and slides give per trial: 1,500
 * training people, 4,249 test people, about 9,708 test images, 156,915 genuine and 46,960,863 impostor pairs on
 * average; an open-set gallery of 1,000 people with one image each, the rest of their images genuine probes, all
 * images of the other test people impostor probes): per trial, shuffle the 5,749 people, take 1,500 for training
 * and the rest for test; draw the 1,000 gallery people among the test people with two or more images and one
 * gallery image of each. The gallery is drawn at random, so its size matches the paper; the sizes of the probe sets
 * follow from LFW. The generated trials are ours, not the official ones: figures from them are "BLUFR-style".
 */
public final class BlufrTrials {
    /** One trial: test images, and the open-set gallery and probes among them (0-based image indices). */
    public record Trial(int[] test, int[] gallery, int[] probes) { }

    private final List<String> images;
    private final int[] labels;
    private final List<Trial> trials;

    public BlufrTrials(List<String> images, int[] labels, List<Trial> trials) {
        if (images.size() != labels.length) throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        for (Trial t : trials) {
            for (int[] idx : List.of(t.test(), t.gallery(), t.probes())) {
                for (int i : idx) if (i < 0 || i >= labels.length) throw new IllegalArgumentException("image index " + (i + 1) + " is outside 1.." + labels.length);
            }
        }
        this.images = List.copyOf(images);
        this.labels = labels.clone();
        this.trials = List.copyOf(trials);
    }

    public List<String> images() { return images; }

    public int[] labels() { return labels.clone(); }

    public int label(int image) { return labels[image]; }

    public List<Trial> trials() { return trials; }

    /** Reads {@code blufr_lfw_config.mat}; a missing variable or a bad index is named. */
    public static BlufrTrials read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no BLUFR configuration file " + file);
        try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
            Cell list = variable(mat, file, "imageList");
            List<String> images = new ArrayList<>();
            for (int i = 0; i < list.getNumElements(); i++) images.add(list.getChar(i).getString().strip());
            int[] labels = indices(variable(mat, file, "labels"), file, "labels", 0);
            Cell test = variable(mat, file, "testIndex"), gal = variable(mat, file, "galIndex"), prob = variable(mat, file, "probIndex");
            if (test.getNumElements() != gal.getNumElements() || test.getNumElements() != prob.getNumElements()) {
                throw new IOException(file + ": testIndex, galIndex and probIndex have different numbers of trials");
            }
            List<Trial> trials = new ArrayList<>();
            for (int t = 0; t < test.getNumElements(); t++) {
                trials.add(new Trial(indices(test.getMatrix(t), file, "testIndex{" + (t + 1) + "}", 1),
                    indices(gal.getMatrix(t), file, "galIndex{" + (t + 1) + "}", 1), indices(prob.getMatrix(t), file, "probIndex{" + (t + 1) + "}", 1)));
            }
            try {
                return new BlufrTrials(images, labels, trials);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new IOException(file + " is not a readable BLUFR configuration (MATLAB v5 .mat): " + e.getMessage(), e);
        }
    }

    private static <T extends Array> T variable(Mat5File mat, Path file, String name) throws IOException {
        for (var e : mat.getEntries()) {
            if (e.getName().equals(name)) {
                @SuppressWarnings("unchecked") T a = (T) e.getValue();
                return a;
            }
        }
        throw new IOException(file + " has no variable '" + name + "' (a BLUFR configuration has imageList, labels, testIndex, galIndex, probIndex)");
    }

    /** The integer values of a numeric array, minus {@code base}; a non-integer is named. */
    private static int[] indices(Array a, Path file, String what, int base) throws IOException {
        if (!(a instanceof Matrix m)) throw new IOException(file + ": " + what + " is a " + a.getType() + ", expected a numeric vector");
        int[] out = new int[m.getNumElements()];
        for (int i = 0; i < out.length; i++) {
            double v = m.getDouble(i);
            if (v != Math.rint(v)) throw new IOException(file + ": " + what + "(" + (i + 1) + ") = " + v + " is not an integer");
            out[i] = (int) v - base;
        }
        return out;
    }

    /**
     * BLUFR-style trials drawn from {@code people} (identity name -> image paths, e.g. LFW's 5,749 people), seeded;
     * see the class comment for the split.
     */
    public static BlufrTrials generate(Map<String, List<String>> people, int trials, int trainPeople, int galleryPeople, long seed) {
        List<String> images = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        Map<String, int[]> imagesOf = new LinkedHashMap<>();
        int label = 0;
        for (Map.Entry<String, List<String>> e : people.entrySet()) {
            int[] idx = new int[e.getValue().size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = images.size();
                images.add(e.getValue().get(i));
                labelList.add(label);
            }
            imagesOf.put(e.getKey(), idx);
            label++;
        }
        if (trainPeople < 0 || trainPeople >= people.size()) throw new IllegalArgumentException(trainPeople + " training people of " + people.size());
        List<Trial> out = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Random rng = new Random(seed * 1_000_003L + t);
            List<String> names = new ArrayList<>(people.keySet());
            Collections.shuffle(names, rng);
            List<String> test = names.subList(trainPeople, names.size());
            List<String> multi = new ArrayList<>();
            for (String n : test) if (imagesOf.get(n).length >= 2) multi.add(n);
            if (multi.size() < galleryPeople) throw new IllegalArgumentException("only " + multi.size() + " test people have two images, " + galleryPeople + " gallery people needed");
            Collections.shuffle(multi, rng);
            java.util.Set<String> enrolled = new java.util.HashSet<>(multi.subList(0, galleryPeople));
            List<Integer> testIdx = new ArrayList<>(), gal = new ArrayList<>(), prob = new ArrayList<>();
            for (String n : test) {
                int[] idx = imagesOf.get(n);
                for (int i : idx) testIdx.add(i);
                if (enrolled.contains(n)) {
                    int chosen = rng.nextInt(idx.length);
                    for (int i = 0; i < idx.length; i++) (i == chosen ? gal : prob).add(idx[i]);
                } else {
                    for (int i : idx) prob.add(i);
                }
            }
            out.add(new Trial(ints(testIdx), ints(gal), ints(prob)));
        }
        return new BlufrTrials(images, labelList.stream().mapToInt(Integer::intValue).toArray(), out);
    }

    /** The paper's sizes: 10 trials, 1,500 training people, 1,000 gallery people. */
    public static BlufrTrials generate(Map<String, List<String>> people, long seed) {
        return generate(people, 10, 1500, 1000, seed);
    }

    private static int[] ints(List<Integer> l) {
        int[] a = l.stream().mapToInt(Integer::intValue).sorted().toArray();
        return a;
    }
}
