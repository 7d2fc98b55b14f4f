package amface.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.io.AtomicFile;

/**
 * The built-in face data: procedurally drawn people, already aligned to the 112x96 template (eyes near (30, 52)
 * and (66, 52)), each photographed many times with a different pose, expression, light, background, blur and
 * noise. Image (identity i, photo j) depends only on (seed, difficulty, size, i, j), so it is byte-identical
 * whatever the thread count or the order of rendering.
 *
 * <pre>{@code
 * SyntheticFaces faces = SyntheticFaces.builder().seed(7).difficulty(0.5).build();
 * RgbImage img = faces.render(12, 3);
 * faces.writeDataset(out, 300, 20, 100, 6000, progress);
 * }</pre>
 *
 * Difficulty 0 gives near-frontal, evenly lit, clean photos of clearly different people; 1 gives strong pose,
 * light, blur, noise and occluders on people who look more alike.
 */
public final class SyntheticFaces {
    /** Folders and files of a written dataset; {@code pairs} is null (and {@code pairCount} 0) without held-out people. */
    public record Written(Path root, Path train, Path heldOut, Path pairs, int trainIdentities, int heldOutIdentities,
                          int imagesPerIdentity, int pairCount, boolean foldsDisjoint) { }

    /** Folds in the pairs file, as LFW's View 2. */
    public static final int FOLDS = 10;

    private final long seed;
    private final double difficulty;
    private final int width;
    private final int height;
    private final SyntheticFacePainter painter;

    private SyntheticFaces(Builder b) {
        this.seed = b.seed;
        this.difficulty = b.difficulty;
        this.width = b.width;
        this.height = b.height;
        this.painter = new SyntheticFacePainter(width, height);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; defaults: seed 1, difficulty 0.5, 96 wide x 112 high. */
    public static final class Builder {
        private long seed = 1;
        private double difficulty = 0.5;
        private int width = 96;
        private int height = 112;

        public Builder seed(long seed) { this.seed = seed; return this; }

        /** 0 (easy) .. 1 (hard). */
        public Builder difficulty(double difficulty) {
            if (!(difficulty >= 0 && difficulty <= 1)) throw new IllegalArgumentException("difficulty must be in [0, 1], got " + difficulty);
            this.difficulty = difficulty;
            return this;
        }

        /** Output size; the template is scaled to the height and centred in the width (112x112 adds 8 to every x). */
        public Builder size(int width, int height) {
            if (width < 16 || height < 16 || width > 4096 || height > 4096) throw new IllegalArgumentException("size " + width + "x" + height + " outside 16..4096");
            this.width = width;
            this.height = height;
            return this;
        }

        public SyntheticFaces build() { return new SyntheticFaces(this); }
    }

    public long seed() { return seed; }

    public double difficulty() { return difficulty; }

    public int width() { return width; }

    public int height() { return height; }

    /** Photo {@code imageIndex} (0-based) of person {@code identityIndex} (0-based). */
    public RgbImage render(int identityIndex, int imageIndex) {
        if (identityIndex < 0 || imageIndex < 0) throw new IllegalArgumentException("indices must be >= 0");
        SyntheticIdentity id = identity(identityIndex);
        SplittableRandom r = new SplittableRandom(mix(seed, identityIndex, imageIndex));
        return painter.paint(id, SyntheticVariation.draw(r, difficulty), r);
    }

    /**
     * The five alignment landmarks of photo (identityIndex, imageIndex) as drawn, in output pixels: left eye, right
     * eye, nose tip, left and right mouth corner, as {x, y} rows. Ground truth for an aligner.
     */
    public double[][] landmarks(int identityIndex, int imageIndex) {
        SplittableRandom r = new SplittableRandom(mix(seed, identityIndex, imageIndex));
        return painter.landmarks(identity(identityIndex), SyntheticVariation.draw(r, difficulty));
    }

    SyntheticIdentity identity(int identityIndex) {
        return SyntheticIdentity.draw(new SplittableRandom(mix(seed, identityIndex, -1)), 1 - 0.55 * difficulty);
    }

    /** Folder name of a person: {@code id00042}. */
    public static String identityName(int identityIndex) {
        return String.format(Locale.ROOT, "id%05d", identityIndex);
    }

    /** SplitMix64 over the three numbers: independent streams for every (seed, identity, photo). */
    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL;
        for (int i = 0; i < 2; i++) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
        }
        return z;
    }

    /**
     * Writes {@code root/train/idNNNNN/idNNNNN_0001.png...} for persons 0..identities-1, {@code root/heldout/...}
     * for the next {@code heldOut} persons, and {@code root/pairs.txt}: {@code pairs} held-out pairs (rounded down to
     * a multiple of 20) in 10 folds of equal same and different halves, in LFW format, with the folds' people
     * disjoint when there are at least 20 held-out persons. Images are PNG, written atomically on all cores.
     * A folder written before with the same settings is completed (images already there are kept); a folder
     * with other content is refused.
     */
    public Written writeDataset(Path root, int identities, int imagesPerIdentity, int heldOut, int pairs, Progress progress) throws IOException {
        if (identities < 1) throw new IllegalArgumentException("identities must be >= 1, got " + identities);
        if (imagesPerIdentity < 2) throw new IllegalArgumentException("images per identity must be >= 2 (same-person pairs need two), got " + imagesPerIdentity);
        if (heldOut < 0 || heldOut == 1) throw new IllegalArgumentException("held-out identities must be 0 or >= 2 (different-person pairs need two), got " + heldOut);
        if (pairs < 0) throw new IllegalArgumentException("pairs must be >= 0, got " + pairs);
        int perHalf = pairs / (2 * FOLDS);
        if (heldOut > 0 && perHalf == 0) throw new IllegalArgumentException("pairs must be at least " + 2 * FOLDS + " (10 folds of same and different pairs), got " + pairs);
        if (heldOut == 0 && pairs > 0) throw new IllegalArgumentException("pairs need held-out identities");
        prepare(root, manifest(identities, imagesPerIdentity, heldOut, pairs));
        Path train = root.resolve("train");
        Path held = root.resolve("heldout");

        // pairs first: a bad request fails before minutes of rendering
        LfwPairs pairFile = null;
        boolean disjoint = heldOut >= 2 * FOLDS;
        if (heldOut > 0) pairFile = pairs(identities, heldOut, imagesPerIdentity, perHalf);

        long total = (long) (identities + heldOut) * imagesPerIdentity;
        AtomicLong done = new AtomicLong();
        progress.start("rendering synthetic faces", total);
        try {
            IntStream.range(0, identities + heldOut).parallel().forEach(i -> {
                Path folder = (i < identities ? train : held).resolve(identityName(i));
                for (int j = 0; j < imagesPerIdentity; j++) {
                    Path file = folder.resolve(imageName(i, j));
                    if (!Files.exists(file)) {
                        try {
                            ImageWriter.write(render(i, j), file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                        }
                    }
                    long n = done.incrementAndGet();
                    if (n % 50 == 0 || n == total) progress.update(n, "");
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Path pairsPath = root.resolve("pairs.txt");
        if (pairFile != null) pairFile.write(pairsPath);
        progress.finish(total + " images of " + (identities + heldOut) + " people in " + root
            + (pairFile != null ? ", " + pairFile.pairs().size() + " pairs" : ""));
        return new Written(root, train, held, pairFile != null ? pairsPath : null, identities, heldOut, imagesPerIdentity,
            pairFile != null ? pairFile.pairs().size() : 0, disjoint);
    }

    /** {@code id00042_0001.png} for photo 0 of person 42: 1-based numbers, as LFW. */
    public static String imageName(int identityIndex, int imageIndex) {
        return String.format(Locale.ROOT, "%s_%04d.png", identityName(identityIndex), imageIndex + 1);
    }

    private LfwPairs pairs(int first, int heldOut, int images, int perHalf) {
        Random r = new Random(mix(seed, -2, heldOut));
        List<Integer> people = new ArrayList<>();
        for (int i = 0; i < heldOut; i++) people.add(first + i);
        Collections.shuffle(people, r);
        boolean disjoint = heldOut >= 2 * FOLDS;
        List<List<LfwPairs.Pair>> folds = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            List<Integer> group = new ArrayList<>();
            if (disjoint) {
                for (int i = f; i < people.size(); i += FOLDS) group.add(people.get(i));
            } else {
                group.addAll(people);
            }
            long sameSpace = (long) group.size() * images * (images - 1) / 2;
            long diffSpace = (long) group.size() * (group.size() - 1) / 2 * images * images;
            if (sameSpace < perHalf || diffSpace < perHalf) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d pairs per fold half asked, but a fold's %d held-out people with %d images each allow only %d same-person pairs"
                        + " and %d different-person pairs: ask for fewer pairs or more held-out people or images",
                    perHalf, group.size(), images, sameSpace, diffSpace));
            }
            List<LfwPairs.Pair> fold = new ArrayList<>();
            Set<List<Integer>> seen = new HashSet<>();
            // same pairs spread over the fold's people in turn, so every person is used evenly
            for (int k = 0; fold.size() < perHalf; k++) {
                int id = group.get(k % group.size());
                int a = r.nextInt(images);
                int b = r.nextInt(images);
                if (a == b) continue;
                if (seen.add(List.of(id, Math.min(a, b), Math.max(a, b)))) {
                    fold.add(LfwPairs.Pair.of(identityName(id), Math.min(a, b) + 1, identityName(id), Math.max(a, b) + 1, 0));
                }
                if (k > 1000L * perHalf + sameSpace * 50) throw new IllegalStateException("cannot draw distinct same pairs");
            }
            seen.clear();
            int different = 0;
            for (long k = 0; different < perHalf; k++) {
                int x = group.get(r.nextInt(group.size()));
                int y = group.get(r.nextInt(group.size()));
                if (x == y) continue;
                int a = r.nextInt(images);
                int b = r.nextInt(images);
                int lo = Math.min(x, y);
                int hi = Math.max(x, y);
                if (seen.add(List.of(lo, x == lo ? a : b, hi, x == lo ? b : a))) {
                    fold.add(LfwPairs.Pair.of(identityName(lo), (x == lo ? a : b) + 1, identityName(hi), (x == lo ? b : a) + 1, 0));
                    different++;
                }
                if (k > 1000L * perHalf + diffSpace * 50) throw new IllegalStateException("cannot draw distinct different pairs");
            }
            folds.add(fold);
        }
        return LfwPairs.of(folds);
    }

    private String manifest(int identities, int images, int heldOut, int pairs) {
        return String.join("\n",
            "# amface synthetic faces: the settings that made this folder (rerun with the same ones to complete it)",
            "format=1",
            "seed=" + seed,
            "difficulty=" + difficulty,
            "width=" + width,
            "height=" + height,
            "identities=" + identities,
            "imagesPerIdentity=" + images,
            "heldOutIdentities=" + heldOut,
            "pairs=" + pairs,
            "");
    }

    private static void prepare(Path root, String manifest) throws IOException {
        Path file = root.resolve("synth.properties");
        if (Files.isRegularFile(root)) throw new DatasetException(root + ": is a file, not a folder");
        if (Files.isDirectory(root)) {
            if (Files.isRegularFile(file)) {
                String old = Files.readString(file, StandardCharsets.UTF_8);
                if (old.equals(manifest)) return; // resume
                throw new DatasetException(root + ": holds synthetic faces made with other settings (see " + file
                    + "); choose another folder or delete this one");
            }
            // Hidden names (the folder's lock, temporary files) are the job's own, not content.
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root, p -> !p.getFileName().toString().startsWith("."))) {
                if (s.iterator().hasNext()) throw new DatasetException(root + ": is not empty and holds no synthetic faces; choose an empty or new folder");
            }
        }
        Files.createDirectories(root);
        AtomicFile.writeString(file, manifest);
    }
}
