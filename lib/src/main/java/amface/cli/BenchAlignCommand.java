package amface.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import amface.align.DatasetAligner;
import amface.align.MtcnnDetector;
import amface.align.OpThreads;
import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "align", mixinStandardHelpOptions = true,
    description = {"Benchmark MTCNN face detection against facenet-pytorch on the same CPU, in one run: the same LFW images "
        + "(decoded beforehand), threads, min size, factor and thresholds; prints images/s of both and the ratio."})
final class BenchAlignCommand implements Callable<Integer> {

    @Option(names = "--lfw", paramLabel = "DIR", description = "Image root (default ../shared/data/lfw/lfw-deepfunneled).")
    Path lfw = Path.of("..", "shared", "data", "lfw", "lfw-deepfunneled");

    @Option(names = "--images", defaultValue = "300", paramLabel = "N", description = "Images to time, spread over the dataset (default ${DEFAULT-VALUE}).")
    int images;

    @Mixin
    AlignThreadsOption threads;

    @Mixin
    MtcnnOptions mtcnnOptions;

    @Option(names = "--skip-peer", description = "Time amface only (no Python).")
    boolean skipPeer;

    @Override
    public Integer call() throws Exception {
        int n = threads.count();
        if (images < 1) throw new UserError("--images must be at least 1");
        List<Path> files = pick(lfw, images);
        List<RgbImage> decoded = new ArrayList<>();
        for (Path f : files) {
            try {
                decoded.add(ImageReader.read(f));
            } catch (BadImageException e) {
                throw new UserError(e.getMessage());
            }
        }
        double minSize = mtcnnOptions.minSize, factor = mtcnnOptions.factor;
        double[] thresholds = mtcnnOptions.thresholds;
        System.out.printf(Locale.ROOT, "bench align: %d images from %s, %d threads, min size %.0f, factor %.3f, thresholds %s %s %s%n",
            decoded.size(), lfw, n, minSize, factor, thresholds[0], thresholds[1], thresholds[2]);

        OpThreads.set(1);
        MtcnnDetector mtcnn = mtcnnOptions.detector();
        for (RgbImage img : decoded.subList(0, Math.min(5, decoded.size()))) mtcnn.detect(img);
        AtomicInteger faces = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n, OpThreads.oneEach("amface-bench-align"));
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (RgbImage img : decoded) futures.add(pool.submit(() -> faces.addAndGet(mtcnn.detect(img).size())));
        for (Future<?> f : futures) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double ours = decoded.size() / seconds;
        System.out.printf(Locale.ROOT, "amface MTCNN (oneDNN, %d images at once, 1 op thread each): %.2f images/s, %d faces%n", n, ours, faces.get());
        if (skipPeer) return 0;

        Path root = Path.of("").toAbsolutePath();
        if (!Files.isExecutable(root.resolve("environment/pyvenv"))) throw new UserError("run from the project root (./amface bench align): environment/pyvenv not found");
        String python = run(List.of(root.resolve("environment/pyvenv").toString(), "align-bench", root.resolve("bench/requirements-align.txt").toString()), false).strip();
        python = python.substring(python.lastIndexOf('\n') + 1);
        Path list = Files.createTempFile("amface-bench-align", ".txt");
        try {
            Files.write(list, files.stream().map(p -> p.toAbsolutePath().toString()).toList(), StandardCharsets.UTF_8);
            String out = run(List.of(python, root.resolve("bench/align_peer.py").toString(), list.toString(), String.valueOf(n),
                String.valueOf(minSize), String.valueOf(factor),
                String.valueOf(thresholds[0]), String.valueOf(thresholds[1]), String.valueOf(thresholds[2])), true);
            double a = Double.NaN, b = Double.NaN;
            String facesA = "?", facesB = "?";
            for (String line : out.split("\n")) {
                String[] f = line.strip().split(" ");
                switch (f[0]) {
                    case "peer" -> System.out.println(line);
                    case "peer_images_per_second_a" -> a = Double.parseDouble(f[1]);
                    case "peer_images_per_second_b" -> b = Double.parseDouble(f[1]);
                    case "peer_faces_a" -> facesA = f[1];
                    case "peer_faces_b" -> facesB = f[1];
                    default -> { }
                }
            }
            if (Double.isNaN(a) || Double.isNaN(b)) throw new UserError("the facenet-pytorch peer printed no result:\n" + out);
            System.out.printf(Locale.ROOT, "facenet-pytorch MTCNN, 1 process, torch.set_num_threads(%d): %.2f images/s, %s faces%n", n, a, facesA);
            System.out.printf(Locale.ROOT, "facenet-pytorch MTCNN, %d processes with 1 torch thread each: %.2f images/s, %s faces%n", n, b, facesB);
            double best = Math.max(a, b);
            System.out.printf(Locale.ROOT, "ratio amface / facenet-pytorch (its faster way): %.2fx%n", ours / best);
        } finally {
            Files.deleteIfExists(list);
        }
        return 0;
    }

    /** {@code count} images spread evenly over the sorted dataset, so that many people are covered. */
    static List<Path> pick(Path root, int count) throws IOException {
        List<String> all = DatasetAligner.listImages(root);
        if (all.isEmpty()) throw new UserError(root + ": no images");
        List<Path> picked = new ArrayList<>();
        int n = Math.min(count, all.size());
        for (int i = 0; i < n; i++) picked.add(root.resolve(all.get((int) ((long) i * all.size() / n))));
        return picked;
    }

    private static String run(List<String> cmd, boolean echoErr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(echoErr ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new UserError("failed: " + String.join(" ", cmd) + "\n" + out);
        return out;
    }
}
