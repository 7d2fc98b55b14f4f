package amface.align;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import amface.data.Progress;
import amface.image.BadImageException;
import amface.image.ImageContent;
import amface.image.ImageFormat;
import amface.image.ImageReader;
import amface.image.ImageWriter;
import amface.image.RgbImage;
import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.io.OutputFolders;

/**
 * Aligns every image under an input root into a mirrored output tree ({@code Name/file.jpg} to
 * {@code OUT/Name/file.jpg}; formats other than JPEG and PNG are written as PNG), with one landmarks CSV row per
 * image, on several threads. Resumable: images already in the CSV are not redone unless their chip is missing or
 * damaged (checked on every start), chips are written atomically, and temporary files a killed run left behind are
 * removed. The output folder is owned by one run at a time ({@link FolderLock}) and may not be the input or hold it.
 * Only regular files are read (pipes, sockets and devices are listed as skipped); unreadable images, and images
 * too small or blank to hold a face, are listed and counted, never fatal.
 *
 * <pre>{@code
 * DatasetAligner.Summary s = DatasetAligner.builder(aligner).input(raw).output(aligned).threads(2)
 *     .progress(progress).build().run();
 * }</pre>
 */
public final class DatasetAligner {

    /** What a run did: counts over all images, including those finished by earlier runs ({@code resumed}). */
    public record Summary(long images, long resumed, long aligned, long fallback, long unreadable, double seconds,
                          List<String> problems, Path landmarks, long skipped, long redone, long temporariesRemoved) {
        /** Images processed by this run per second of wall time. */
        public double imagesPerSecond() {
            return seconds > 0 ? (images - resumed) / seconds : 0;
        }

        /** Faces found (aligned) over readable images. */
        public double detectionRate() {
            long readable = aligned + fallback;
            return readable == 0 ? 0 : (double) aligned / readable;
        }

        public String line() {
            return String.format(Locale.ROOT, "%d images: %d aligned, %d fallback (no face), %d unreadable; detection rate %.2f%%; %d done by this run in %.1f s (%.1f images/s), %d from an earlier run",
                images, aligned, fallback, unreadable, 100 * detectionRate(), images - resumed, seconds, imagesPerSecond(), resumed)
                + (redone > 0 ? String.format(Locale.ROOT, "; %d listed as done were missing or damaged and were redone", redone) : "")
                + (skipped > 0 ? String.format(Locale.ROOT, "; %d not regular files skipped", skipped) : "");
        }
    }

    private final FaceAligner aligner;
    private final Path input;
    private final Path output;
    private final Path landmarks;
    private final int threads;
    private final Progress progress;

    private DatasetAligner(Builder b) {
        this.aligner = b.aligner;
        this.input = b.input.toAbsolutePath().normalize();
        this.output = b.output.toAbsolutePath().normalize();
        this.landmarks = (b.landmarks != null ? b.landmarks : b.output.resolve("landmarks.csv")).toAbsolutePath().normalize();
        this.threads = b.threads;
        this.progress = b.progress;
    }

    public static Builder builder(FaceAligner aligner) {
        return new Builder(aligner);
    }

    public static final class Builder {
        private final FaceAligner aligner;
        private Path input;
        private Path output;
        private Path landmarks;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Progress progress = Progress.NONE;

        private Builder(FaceAligner aligner) {
            this.aligner = aligner;
        }

        /** The raw dataset root ({@code ROOT/Name/file.jpg}). */
        public Builder input(Path root) { this.input = root; return this; }

        /** The aligned output root, mirrored from the input. */
        public Builder output(Path root) { this.output = root; return this; }

        /** The landmarks CSV (default {@code OUTPUT/landmarks.csv}); it also records what is done, for resuming. */
        public Builder landmarks(Path csv) { this.landmarks = csv; return this; }

        public Builder threads(int n) {
            if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
            this.threads = n;
            return this;
        }

        public Builder progress(Progress p) { this.progress = p; return this; }

        public DatasetAligner build() {
            if (input == null || output == null) throw new IllegalStateException("input and output are required");
            return new DatasetAligner(this);
        }
    }

    /** The images under the input root, as sorted paths relative to it with '/' separators. */
    public static List<String> listImages(Path root) throws IOException {
        return listInput(root).images();
    }

    /**
     * What an input tree holds: the image files (regular files, or links to them, with an image extension; hidden
     * names skipped) and, listed apart, image-named entries that are no regular files (named pipes, sockets,
     * devices), which are never opened: reading a pipe would wait forever.
     */
    public record InputListing(List<String> images, List<String> skipped) { }

    public static InputListing listInput(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException(root + ": no such folder (expected RAW_ROOT/Name/image.jpg)");
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !Files.isDirectory(p)).forEach(p -> {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (!isListed(name)) return;
                if (Files.isRegularFile(p)) files.add(name);
                else skipped.add(name);
            });
        }
        Collections.sort(files);
        Collections.sort(skipped);
        return new InputListing(files, skipped);
    }

    /**
     * Whether an input file at {@code relative} ('/'-separated, under the root) is one of the dataset's images: an
     * image extension and no hidden part. The rule of every lister of an input tree (local here, Hadoop's file
     * systems in the Spark job).
     */
    public static boolean isListed(String relative) {
        for (String part : relative.split("/")) if (part.startsWith(".")) return false;
        return ImageFormat.hasImageExtension(relative.substring(relative.lastIndexOf('/') + 1));
    }

    /** The chip's name, relative to the output root, of input image {@code relative}: PNG unless JPEG or PNG. */
    public static String chipName(String relative) {
        String lower = relative.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png")) return relative;
        return relative.substring(0, relative.lastIndexOf('.')) + ".png";
    }

    /** Where the chip of input image {@code relative} goes. */
    public Path outputFor(String relative) {
        return output.resolve(chipName(relative));
    }

    /** Which images a run has to do, given the landmarks rows of earlier runs, and what those runs finished. */
    public record Plan(List<String> todo, List<String> redone, long resumed, long aligned, long fallback, long unreadable,
                       List<String> problems) { }

    /**
     * The resume rule: an image listed in {@code done} is finished unless its chip (at {@code chipFor}) is missing
     * or damaged (then redone); unreadable rows stay finished and are listed again as problems.
     */
    public static Plan plan(List<String> images, Map<String, String> done, java.util.function.Function<String, Path> chipFor) {
        List<String> todo = new ArrayList<>();
        List<String> redone = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long aligned = 0, fallback = 0, unreadable = 0;
        for (String p : images) {
            String row = done.get(p);
            if (row != null && !LandmarksCsv.UNREADABLE.equals(LandmarksCsv.status(row)) && !chipIsWhole(chipFor.apply(p))) {
                redone.add(p);
                row = null;
            }
            if (row == null) {
                todo.add(p);
                continue;
            }
            switch (LandmarksCsv.status(row)) {
                case "aligned" -> aligned++;
                case "fallback" -> fallback++;
                default -> {
                    unreadable++;
                    problems.add(p + ": unreadable (in an earlier run)");
                }
            }
        }
        return new Plan(todo, redone, images.size() - todo.size(), aligned, fallback, unreadable, problems);
    }

    /** What aligning one image gave: its landmarks row, its status and, when unreadable, why (serialisable: distributed jobs return it). */
    public record Outcome(String row, AlignedFace.Status status, String problem) implements java.io.Serializable {
        public boolean unreadable() { return status == null; }
    }

    /** Something that reads one input image (a local file, or bytes from another file system). */
    public interface ImageSource {
        RgbImage read() throws BadImageException;
    }

    /**
     * Aligns one image into its chip (written atomically) and gives its landmarks row; an unreadable image, or one
     * that breaks the detector, is an outcome with a problem, never an exception. Writing the chip can fail
     * ({@link IOException}): that stops the run.
     */
    public static Outcome alignOne(FaceAligner aligner, String relative, String source, ImageSource image, Path chip) throws IOException {
        try {
            RgbImage img = ImageContent.requireInformative(image.read(), source);
            AlignedFace a = aligner.align(img);
            ImageWriter.write(a.chip(), chip);
            return new Outcome(LandmarksCsv.row(relative, a), a.status(), null);
        } catch (BadImageException e) {
            return new Outcome(LandmarksCsv.unreadableRow(relative), null, e.getMessage());
        } catch (RuntimeException e) {
            // One image that breaks the detector must not stop a dataset run: list it and go on.
            return new Outcome(LandmarksCsv.unreadableRow(relative), null, source + ": could not be aligned (" + e + ")");
        }
    }

    public Summary run() throws IOException {
        OutputFolders.requireApart(input, output, "--input", "--output");
        try (FolderLock lock = FolderLock.acquire(output, "amface align " + input + " -> " + output)) {
            return runLocked();
        }
    }

    private Summary runLocked() throws IOException {
        long start = System.nanoTime();
        InputListing listing = listInput(input);
        List<String> images = new ArrayList<>(listing.images());
        // Compared as real paths, so that an output reached through a link is recognised too.
        Path realInput = input.toRealPath();
        Path realOutput = output.toRealPath();
        if (realOutput.startsWith(realInput)) {
            images.removeIf(p -> resolvedQuietly(input.resolve(p)).startsWith(realOutput));
        }
        int temporaries = AtomicFile.removeTemporaries(output);
        Map<String, String> done = new HashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        for (String p : listing.skipped()) problems.add(input.resolve(p) + ": skipped, not a regular file (a pipe, socket or device)");
        AtomicLong aligned = new AtomicLong(), fallback = new AtomicLong(), unreadable = new AtomicLong(), finished = new AtomicLong();
        try (LandmarksCsv csv = LandmarksCsv.open(landmarks, done)) {
            Plan plan = plan(images, done, this::outputFor);
            List<String> todo = plan.todo();
            List<String> redone = plan.redone();
            aligned.addAndGet(plan.aligned());
            fallback.addAndGet(plan.fallback());
            unreadable.addAndGet(plan.unreadable());
            problems.addAll(plan.problems());
            long resumed = plan.resumed();
            // The bar counts this run's images, so that its rate and ETA are true after a resume.
            String task = "align " + aligner.template().label() + " " + aligner.detector().name()
                + (resumed > 0 ? " (" + resumed + " done earlier)" : "")
                + (redone.isEmpty() ? "" : " (" + redone.size() + " listed as done but missing or damaged: redone)")
                + (temporaries == 0 ? "" : " (" + temporaries + " temporary files of an interrupted run removed)");
            progress.start(task, todo.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads, OpThreads.oneEach("amface-align"));
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (String rel : todo) {
                    futures.add(pool.submit(() -> {
                        Path source = input.resolve(rel);
                        Outcome o = alignOne(aligner, rel, source.toString(), () -> ImageReader.read(source), outputFor(rel));
                        if (o.unreadable()) {
                            unreadable.incrementAndGet();
                            problems.add(o.problem());
                        } else {
                            (o.status() == AlignedFace.Status.ALIGNED ? aligned : fallback).incrementAndGet();
                        }
                        csv.append(o.row());
                        long n = finished.incrementAndGet();
                        progress.update(n, String.format(Locale.ROOT, "%d aligned, %d fallback, %d unreadable", aligned.get(), fallback.get(), unreadable.get()));
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof IOException io) throw io;
                        if (c instanceof RuntimeException re) throw re;
                        throw new IOException(c);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                pool.shutdownNow();
            }
            csv.compact();
            double seconds = (System.nanoTime() - start) / 1e9;
            Summary s = new Summary(images.size(), resumed, aligned.get(), fallback.get(), unreadable.get(), seconds, List.copyOf(problems), landmarks,
                listing.skipped().size(), redone.size(), temporaries);
            progress.finish(s.line());
            return s;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Whether a chip an earlier run wrote is still whole: present, non-empty, header and ending intact (cheap); a
     * file failing that is decoded in full, and only a chip that decodes is kept.
     */
    public static boolean chipIsWhole(Path chip) {
        try {
            ImageReader.checkWhole(chip);
            return true;
        } catch (BadImageException cheapCheckFailed) {
            try {
                return Files.isRegularFile(chip) && ImageReader.read(chip) != null;
            } catch (BadImageException | RuntimeException e) {
                return false;
            }
        }
    }

    private static Path resolvedQuietly(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
