package amface.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import amface.image.BadImageException;
import amface.image.ImageFormat;
import amface.image.ImageReader;
import amface.image.RgbImage;

/**
 * An identity-folder dataset, {@code root/Name/*.jpg} (also png, pgm, ppm, bmp, gif, any case): one folder per
 * person, labels 0..k-1 in sorted name order. Immutable; every operation returns a new dataset, and operations
 * that change the set of identities ({@link #minImagesPerIdentity}, {@link #withIdentities}, {@link #splitByIdentity})
 * renumber the labels 0..k-1 in name order.
 *
 * <pre>{@code
 * IdentityDataset all = IdentityDataset.scan(root).minImagesPerIdentity(2);
 * IdentityDataset.Split split = all.splitByIdentity(0.1, 42);   // no person on both sides
 * IdentityDataset train = split.train().shuffled(7);
 * }</pre>
 */
public final class IdentityDataset {
    /** One image: its path relative to the root ({@code Name/file.jpg}, '/'-separated), its identity and label. */
    public record Entry(String path, String identity, int label) { }

    /** Two datasets with disjoint identities. */
    public record Split(IdentityDataset train, IdentityDataset heldOut) { }

    /** What {@link #withoutBadImages} removed. */
    public record Cleaned(IdentityDataset dataset, List<BadImageException> skipped) { }

    private final Path root;
    private final List<String> identities;
    private final List<Entry> entries;

    private IdentityDataset(Path root, List<String> identities, List<Entry> entries) {
        this.root = root;
        this.identities = List.copyOf(identities);
        this.entries = List.copyOf(entries);
    }

    /**
     * Lists the images under {@code root} (names only, nothing is decoded; see {@link #validate}). Folders and files
     * whose names start with '.' are ignored, as are files that are not images by their extension and entries that are
     * not regular files (pipes, sockets, devices).
     */
    public static IdentityDataset scan(Path root) throws DatasetException {
        Objects.requireNonNull(root, "root");
        if (!Files.exists(root)) throw new DatasetException(root + ": no such folder");
        if (!Files.isDirectory(root)) throw new DatasetException(root + ": is a file, not a dataset folder (expected ROOT/Name/image.jpg)");
        TreeMap<String, List<String>> byName = new TreeMap<>();
        int looseImages = 0;
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
            for (Path p : top) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) continue;
                if (Files.isDirectory(p)) {
                    List<String> files = new ArrayList<>();
                    try (DirectoryStream<Path> inner = Files.newDirectoryStream(p)) {
                        for (Path f : inner) {
                            String file = f.getFileName().toString();
                            // Regular files only (or links to them): a named pipe would block a loader thread forever.
                            if (!file.startsWith(".") && ImageFormat.hasImageExtension(file) && Files.isRegularFile(f)) files.add(file);
                        }
                    }
                    if (!files.isEmpty()) {
                        Collections.sort(files);
                        byName.put(name, files);
                    }
                } else if (ImageFormat.hasImageExtension(name)) {
                    looseImages++;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException(root + ": a folder vanished while it was scanned (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(root + ": cannot be listed (" + e.getMessage() + ")", e);
        }
        if (byName.isEmpty()) {
            throw new DatasetException(root + ": no identity folders with images (expected ROOT/Name/image.jpg"
                + (looseImages > 0 ? "; found " + looseImages + " images directly in the folder, move each person's images into a folder of its own" : "")
                + "; readable extensions: " + String.join(", ", new java.util.TreeSet<>(ImageFormat.EXTENSIONS)) + ")");
        }
        List<String> names = new ArrayList<>(byName.keySet());
        List<Entry> entries = new ArrayList<>();
        for (int label = 0; label < names.size(); label++) {
            String name = names.get(label);
            for (String f : byName.get(name)) entries.add(new Entry(name + "/" + f, name, label));
        }
        return new IdentityDataset(root, names, entries);
    }

    /** A dataset over {@code root} made of the given entries (labels are renumbered 0..k-1 in name order). */
    public static IdentityDataset of(Path root, Collection<Entry> entries) {
        return relabelled(root, new ArrayList<>(entries));
    }

    public Path root() { return root; }

    /** Identity names; the index of a name is its label. */
    public List<String> identities() { return identities; }

    public int identityCount() { return identities.size(); }

    public List<Entry> entries() { return entries; }

    public int size() { return entries.size(); }

    public Entry get(int i) { return entries.get(i); }

    /** The file of an entry. */
    public Path file(Entry e) {
        return root.resolve(e.path());
    }

    /** Decodes an entry's image. */
    public RgbImage read(Entry e) throws BadImageException {
        return ImageReader.read(file(e));
    }

    /** Image count for each identity, by label. */
    public int[] imagesPerIdentity() {
        int[] counts = new int[identities.size()];
        for (Entry e : entries) counts[e.label()]++;
        return counts;
    }

    /** Only the identities with at least {@code min} images. */
    public IdentityDataset minImagesPerIdentity(int min) {
        int[] counts = imagesPerIdentity();
        return relabelled(root, entries.stream().filter(e -> counts[e.label()] >= min).toList());
    }

    /** Only the named identities (names not in the dataset are ignored). */
    public IdentityDataset withIdentities(Collection<String> names) {
        Set<String> keep = new HashSet<>(names);
        return relabelled(root, entries.stream().filter(e -> keep.contains(e.identity())).toList());
    }

    /** All identities except the named ones. */
    public IdentityDataset withoutIdentities(Collection<String> names) {
        Set<String> drop = new HashSet<>(names);
        return relabelled(root, entries.stream().filter(e -> !drop.contains(e.identity())).toList());
    }

    /** The same entries in an order that depends only on {@code seed} (labels unchanged). */
    public IdentityDataset shuffled(long seed) {
        List<Entry> list = new ArrayList<>(entries);
        Collections.shuffle(list, new Random(seed));
        return new IdentityDataset(root, identities, list);
    }

    /**
     * Splits by identity: a {@code heldOutFraction} of the identities (rounded, at least one, at most all but one),
     * chosen by {@code seed}, go to the held-out side with all their images; no person is on both sides.
     */
    public Split splitByIdentity(double heldOutFraction, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + heldOutFraction);
        if (identities.size() < 2) throw new IllegalArgumentException(root + ": " + identities.size() + " identity cannot be split in two");
        int heldOut = (int) Math.round(identities.size() * heldOutFraction);
        heldOut = Math.max(1, Math.min(identities.size() - 1, heldOut));
        return splitByIdentity(heldOut, seed);
    }

    /** Splits by identity with exactly {@code heldOutIdentities} identities, chosen by {@code seed}, held out. */
    public Split splitByIdentity(int heldOutIdentities, long seed) {
        if (heldOutIdentities < 1 || heldOutIdentities >= identities.size()) {
            throw new IllegalArgumentException("cannot hold out " + heldOutIdentities + " of " + identities.size() + " identities");
        }
        List<String> names = new ArrayList<>(identities);
        Collections.shuffle(names, new Random(seed));
        Set<String> held = new HashSet<>(names.subList(0, heldOutIdentities));
        List<Entry> train = new ArrayList<>();
        List<Entry> test = new ArrayList<>();
        for (Entry e : entries) (held.contains(e.identity()) ? test : train).add(e);
        return new Split(relabelled(root, train), relabelled(root, test));
    }

    /**
     * Decodes every image and throws one {@link BadImagesException} listing all that fail; returns this dataset
     * when every image reads. Decodes on all cores; progress is reported per image.
     */
    public IdentityDataset validate(Progress progress) throws BadImagesException {
        List<BadImageException> bad = findBadImages(progress);
        if (!bad.isEmpty()) throw new BadImagesException(root.toString(), entries.size(), bad);
        return this;
    }

    /** Decodes every image and returns this dataset without the ones that fail, and the list of what was skipped. */
    public Cleaned withoutBadImages(Progress progress) {
        List<BadImageException> bad = findBadImages(progress);
        if (bad.isEmpty()) return new Cleaned(this, List.of());
        Set<String> badFiles = new HashSet<>();
        for (BadImageException e : bad) badFiles.add(e.file());
        List<Entry> good = entries.stream().filter(e -> !badFiles.contains(file(e).toString())).toList();
        return new Cleaned(relabelled(root, good), bad);
    }

    private List<BadImageException> findBadImages(Progress progress) {
        BadImageException[] found = new BadImageException[entries.size()];
        AtomicLong done = new AtomicLong();
        progress.start("checking images", entries.size());
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            try {
                read(entries.get(i));
            } catch (BadImageException e) {
                found[i] = e;
            }
            long n = done.incrementAndGet();
            if (n % 64 == 0 || n == entries.size()) progress.update(n, "");
        });
        List<BadImageException> bad = new ArrayList<>();
        for (BadImageException e : found) if (e != null) bad.add(e);
        progress.finish(entries.size() + " images, " + (bad.isEmpty() ? "all readable" : bad.size() + " unreadable"));
        return bad;
    }

    private static IdentityDataset relabelled(Path root, List<Entry> entries) {
        TreeMap<String, Integer> labels = new TreeMap<>();
        for (Entry e : entries) labels.put(e.identity(), 0);
        List<String> names = new ArrayList<>(labels.keySet());
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) out.add(new Entry(e.path(), e.identity(), index.get(e.identity())));
        return new IdentityDataset(root, names, out);
    }

    @Override
    public String toString() {
        return "IdentityDataset[" + root + ": " + identities.size() + " identities, " + entries.size() + " images]";
    }
}
