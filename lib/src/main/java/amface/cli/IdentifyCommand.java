package amface.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import amface.align.MtcnnDetector;
import amface.eval.FlipMode;
import amface.gallery.Gallery;
import amface.gallery.ExactSearch;
import amface.gallery.GalleryFolder;
import amface.gallery.HnswIndex;
import amface.gallery.SearchEngine;
import amface.gallery.SearchHit;
import amface.identification.TemplatePooling;
import amface.nn.FaceModel;
import amface.pipeline.FaceEmbedding;
import amface.pipeline.FacePipeline;
import amface.pipeline.PhotoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "identify", mixinStandardHelpOptions = true,
    description = {
        "Find who is in each photo: the largest face is aligned and embedded (as amface verify does) and searched in a "
            + "gallery index; prints the top matches with identities and cosine similarities. A photo without a face is named "
            + "and the others are still answered (exit code 1 then).",
        "  amface identify --index gallery/ photo1.jpg photo2.jpg [--top 5] [--json]",
        "  amface identify --index gallery/ --pool a.jpg b.jpg c.jpg     (one person's photos searched as one template)"
    })
final class IdentifyCommand implements Callable<Integer> {
    @Mixin
    IndexFolderOption index;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photos to identify.")
    List<Path> photos;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "The model file (default: the one the index was built with; it must have the same weights).")
    Path model;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Matches per photo, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "E", description = "exact, hnsw, or auto (the one the index was built for; default).")
    String engine;

    @Mixin
    HnswSearchOption hnsw;

    @Option(names = "--json", description = "Print one JSON object per photo, one per line (for programs).")
    boolean json;

    @Mixin
    FacePipelineOptions photoOptions;

    static final OptionRange TOP = OptionRange.of("--top", 1, 1000, "matches per photo");

    @Override
    public Integer call() {
        TOP.check(top);
        GalleryFolder.Engine choice = GalleryFolder.Engine.parse(engine);
        ExactSearch.Kernel kernel = searchKernel();
        GalleryFolder folder = GalleryFolder.read(index.folder);
        Gallery g = folder.gallery();
        Path modelFile = model != null ? model : storedModel(folder);
        FaceModel m = FaceModel.load(modelFile);
        g.requireModel(m.fingerprint(), modelFile.toString());
        FlipMode probeMode = probeFlip(g);
        int unusable = 0;
        try (MtcnnDetector detector = photoOptions.detector(); SearchEngine search = engine(folder, choice, kernel)) {
            FacePipeline pipeline = photoOptions.pipeline(m, probeMode, detector);
            if (!json) System.out.println("searching " + IndexCommand.describe(folder) + " with " + search.name());
            List<Path> pooled = new ArrayList<>();
            List<float[]> members = new ArrayList<>();
            for (Path photo : photos) {
                FaceEmbedding face;
                try {
                    face = pipeline.embed(photo);
                } catch (PhotoException e) {
                    unusable++;
                    if (json) System.out.println("{\"image\": " + quote(photo.toString()) + ", \"error\": " + quote(e.getMessage()) + "}");
                    else System.err.println("amface identify: " + e.getMessage());
                    continue;
                }
                if (pool) {
                    pooled.add(photo);
                    members.add(face.embedding());
                    continue;
                }
                long t0 = System.nanoTime();
                List<SearchHit> hits = search.search(face.embedding(), top);
                double ms = (System.nanoTime() - t0) / 1e6;
                print(photo, face, hits, ms);
            }
            if (pool) searchTemplate(search, pooled, members);
        }
        return unusable == 0 ? 0 : 1;
    }

    /** The exact kernel of --precision, checked before any work. */
    private ExactSearch.Kernel searchKernel() {
        ExactSearch.Kernel kernel;
        try {
            kernel = ExactSearch.Kernel.ofPrecision(precision);
        } catch (IllegalArgumentException e) {
            throw new UserError("--precision: " + e.getMessage(), e);
        }
        if (kernel == ExactSearch.Kernel.BF16 && ExactSearch.bf16Problem() != null) {
            throw new UserError("--precision bf16: not available here (" + ExactSearch.bf16Problem() + "); use fp32");
        }
        return kernel;
    }

    private SearchEngine engine(GalleryFolder folder, GalleryFolder.Engine choice, ExactSearch.Kernel kernel) {
        int ef = hnsw.ef();
        SearchEngine s = folder.engine(choice);
        if (s instanceof HnswIndex h) {
            if (kernel != ExactSearch.Kernel.ND4J) {
                h.close();
                throw new UserError("--precision " + precision + " applies to exact search; this search runs on the HNSW graph (add --engine exact)");
            }
            return h.withEf(ef);
        }
        return ((ExactSearch) s).withKernel(kernel);
    }

    /** The model file the index names; gone or moved: a clear error asking for --model. */
    private Path storedModel(GalleryFolder folder) {
        if (folder.model().isEmpty()) throw new UserError(index.folder + " does not name its model file: pass --model MODEL.zip");
        Path p = Path.of(folder.model());
        if (!Files.isRegularFile(p)) throw new UserError(index.folder + " was built with " + p + ", which is gone: pass --model MODEL.zip (the same weights)");
        return p;
    }

    private void print(Path photo, FaceEmbedding face, List<SearchHit> hits, double ms) {
        if (json) {
            System.out.println(String.format(Locale.ROOT, "{\"image\": %s, \"faces\": %d, \"search_ms\": %.3f, \"matches\": [%s]}", quote(photo.toString()),
                face.facesFound(), ms, matches(hits)));
            return;
        }
        System.out.println(photo + (face.facesFound() > 1 ? " (" + face.facesFound() + " faces, the largest searched)" : "") + ":");
        printHits(hits);
    }

    private static String matches(List<SearchHit> hits) {
        List<String> items = new ArrayList<>();
        for (SearchHit h : hits) {
            items.add(String.format(Locale.ROOT, "{\"rank\": %d, \"identity\": %s, \"score\": %.6f, \"source\": %s, \"images\": %d}", h.rank(),
                quote(h.identity()), h.score(), quote(h.entry().source()), h.entry().images()));
        }
        return String.join(", ", items);
    }

    private static void printHits(List<SearchHit> hits) {
        for (SearchHit h : hits) {
            System.out.println(String.format(Locale.ROOT, "  %2d. %-30s %.4f  %s", h.rank(), h.identity(), h.score(), h.entry().source()));
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    @Option(names = "--pool", description = "The photos are of one person: search one template, the mean of their normalised embeddings "
        + "(IJB-B/C template pooling, each embedding with the gallery's flip mode), instead of each photo.")
    boolean pool;

    @Option(names = "--flip", paramLabel = "MODE", description = "Test-time flip of the probes: none, sum, mean, concat (default: the gallery's; another is refused).")
    String flip;

    /** The gallery's flip mode, which the probes must use; {@code --flip} only states it. */
    private FlipMode probeFlip(Gallery g) {
        if (flip != null) {
            try {
                g.requireFlip(FlipMode.parse(flip).cliName(), "--flip " + flip);
            } catch (IllegalArgumentException e) {
                throw new UserError(index.folder + ": " + e.getMessage() + " (the index's), or build an index with --flip " + flip, e);
            }
        }
        return FlipMode.parse(g.flip());
    }

    /** Searches the pooled template of the usable photos (none usable: nothing to search, named). */
    private void searchTemplate(SearchEngine search, List<Path> pooled, List<float[]> members) {
        if (members.isEmpty()) {
            if (!json) System.err.println("amface identify: none of the " + photos.size() + " photos has a usable face: no template to search");
            return;
        }
        float[] template = TemplatePooling.pool(members);
        long t0 = System.nanoTime();
        List<SearchHit> hits = search.search(template, top);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (json) {
            List<String> names = pooled.stream().map(p -> quote(p.toString())).toList();
            System.out.println(String.format(Locale.ROOT, "{\"template\": [%s], \"images\": %d, \"search_ms\": %.3f, \"matches\": [%s]}", String.join(", ", names),
                members.size(), ms, matches(hits)));
            return;
        }
        System.out.println("template of " + members.size() + " photos (" + pooled.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")) + "):");
        printHits(hits);
    }

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
        description = "Exact search's arithmetic: fp32 (ND4J sgemm; default) or bf16 (a oneDNN matmul on bfloat16 vectors with float32 scores, "
            + "on CPUs with AVX512-BF16 or AMX; scores within 2^-8 of fp32's, near-ties may swap).")
    String precision;
}
