package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import amface.gallery.SearchBenchmark;
import amface.nn.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Measure gallery search on synthetic unit vectors: exact search GFLOP/s (ND4J and plain Java) against this machine's "
            + "sgemm rate measured in the same run, single-probe latency, and HNSW build time, latency and recall@1/@10 against exact.",
        "  amface index bench --sizes 10000,100000      (1000000 needs about 10 GB of memory: opt in)"
    })
final class IndexBenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "10000,100000", paramLabel = "N,...", description = "Gallery sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--dim", defaultValue = "512", paramLabel = "D", description = "Values per vector (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--probes", defaultValue = "200", paramLabel = "N", description = "Probes for recall and HNSW latency (default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--random", description = "Uniformly random vectors instead of face-like clusters (the hardest case for HNSW).")
    boolean random;

    @Option(names = "--no-java", description = "Skip the plain-Java exact kernel (slow at 1 M).")
    boolean noJava;

    @Option(names = "--no-hnsw", description = "Skip the HNSW graph (its build takes long at 1 M).")
    boolean noHnsw;

    @Mixin
    GallerySourceOptions.Graph graph;

    @Mixin
    HnswSearchOption hnsw;

    /** The 1, 5 and 15 minute load averages, so that figures measured on a busy machine say so. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public Integer call() {
        for (int n : sizes) if (n < 10) throw new UserError("--sizes: each gallery needs at least 10 vectors, got " + n);
        if (dim < 1 || dim > 1024) throw new UserError("--dim must be 1 to 1024 (Lucene's limit), got " + dim);
        if (probes < 1) throw new UserError("--probes must be at least 1, got " + probes);
        int ef = hnsw.ef();
        // the gallery's vectors live in the Java heap, with copies while blocks are packed: say so before an
        // OutOfMemoryError halfway through (1 M x 512 needed more than a 4 GB heap, ran in 10 GB)
        long heap = Runtime.getRuntime().maxMemory(), largest = sizes.stream().mapToLong(Integer::longValue).max().orElse(0);
        long needed = 3 * largest * dim * Float.BYTES;
        if (needed > heap) {
            throw new UserError(String.format(java.util.Locale.ROOT, "--sizes %d: the benchmark needs about %.1f GB of Java heap for %d x %d vectors, "
                + "this JVM has %.1f GB; give it more (AMFACE_XMX=%dg ./amface index bench ...)", largest, needed / 1e9, largest, dim, heap / 1e9,
                (long) Math.ceil(needed / 1e9) + 1));
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("amface-index-bench");
            System.out.println("amface index bench on " + Backend.describe().summary() + "; load average " + loadAverage()
                + " (figures under load are not speed claims)");
            SearchBenchmark.Result r = SearchBenchmark.builder().sizes(sizes.stream().mapToInt(Integer::intValue).toArray()).dimension(dim).probes(probes)
                .random(random).javaKernel(!noJava).bf16(!noBf16).graph(!noHnsw).hnsw(graph.params(), ef).work(work).progress(new ConsoleProgress()).run();
            System.out.print(r.table());
            System.out.println("load average after: " + loadAverage());
            return 0;
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } finally {
            if (work != null) try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a scratch folder in the temporary directory
            }
        }
    }

    @Option(names = "--no-bf16", description = "Skip bf16 exact search (measured beside fp32 where the CPU has AVX512-BF16 or AMX).")
    boolean noBf16;
}
