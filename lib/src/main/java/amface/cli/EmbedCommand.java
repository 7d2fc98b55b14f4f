package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import amface.align.MtcnnDetector;
import amface.data.IdentityDataset;
import amface.data.LfwPairs;
import amface.eval.EmbeddingExtractor;
import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FlipMode;
import amface.eval.InsightfaceBin;
import amface.image.ImageContent;
import amface.image.ImageReader;
import amface.image.InputFit;
import amface.image.RgbImage;
import amface.io.AtomicFile;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import amface.inference.InferenceEngine;
import amface.inference.Int8Scales;
import amface.nn.Embedder;
import amface.nn.FaceModel;
import amface.nn.layers.CpuIsa;
import amface.nn.layers.Precision;
import amface.pipeline.FaceEmbedding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {
        "Write the embeddings of a dataset's aligned images to a CSV (header path,e0,e1,...) for 'amface eval'.",
        "Every image under --data, or only the images the --pairs need; or the images of an insightface --bin file."
    })
final class EmbedCommand implements Callable<Integer> {

    @Mixin
    ModelFileOption modelFile;

    /** The model file, from the first argument or --model. */
    private Path model;

    @Option(names = "--data", paramLabel = "ROOT", description = "Dataset root with aligned images ROOT/Name/Name_0001.jpg.")
    Path data;

    @Option(names = "--pairs", paramLabel = "FILE", description = "Embed only the images this LFW-format pairs file needs.")
    Path pairs;

    @Option(names = "--bin", paramLabel = "FILE.bin", description = "Embed the images of an insightface verification file instead of --data.")
    Path bin;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the embeddings (atomically; checked before any work, one embed at a time per file).")
    Path out;

    @Mixin
    FlipOption flip;

    @Mixin
    PairsExtensionOption extension;

    @Mixin
    BatchOption batch = new BatchOption(64);

    @Option(names = "--photos", description = "The images under --data are raw photos: each goes through verify's pipeline (MTCNN, largest face, "
        + "aligned to the model's input); photos without a usable face are listed and left out.")
    boolean photos;

    @Mixin
    FacePipelineOptions photoOptions;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
        description = "Inference number format: fp32 (the model's own graph, as verify, calibrate and identify embed), bf16 or auto (bf16 "
            + "where the CPU has AVX512-BF16 or AMX) through the BN-folded inference engine; default: ${DEFAULT-VALUE}. "
            + "A model made by amface quantize runs int8 whatever this says (its first and last layers in this format).")
    String precision;

    @Override
    public Integer call() {
        model = modelFile.file();
        flip.check();
        int batchSize = batch.size();
        if ((data == null) == (bin == null)) throw new UserError("give the images with either --data ROOT or --bin FILE.bin");
        if (bin != null && pairs != null) throw new UserError("--pairs goes with --data; a --bin file holds its own pairs");
        if (photos && data == null) throw new UserError("--photos goes with --data ROOT");
        // The output is checked and owned before any work, so that a bad --out costs nothing and two embeds never share it.
        try {
            OutputFolders.requireFileOrAbsent(out, "--out");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        try (FolderLock owned = FolderLock.acquireFile(out, "amface embed --out " + out)) {
            AtomicFile.removeTemporariesOf(out);
            InsightfaceBin binFile = bin != null ? InsightfaceBin.read(bin) : null;
            List<String> images = binFile != null ? binFile.imageNames() : imagesToEmbed();
            if (images.isEmpty()) throw new UserError((pairs != null ? "--pairs " + pairs : "--data " + data) + ": no images to embed");
            if (binFile == null) EmbeddingExtractor.requirePresent(data, images);
            FaceModel m = FaceModel.load(model);
            FlipMode mode = flip.mode(m);
            // Images that carry no face (tiny, one colour) are refused by name rather than embedded as noise.
            EmbeddingExtractor.ImageSource read = binFile != null ? binFile.imageSource() : rel -> ImageReader.read(data.resolve(rel));
            EmbeddingExtractor.ImageSource source = rel -> ImageContent.requireInformative(read.read(rel), binFile != null ? rel : data.resolve(rel).toString());
            Embedder embedder = embedder(m);
            EmbeddingExtractor extractor = EmbeddingExtractor.of(embedder).withFlip(mode).withBatchSize(batchSize).withProgress(new ConsoleProgress());
            // Raw photos are detected and aligned to the model's input, so the image-size rule applies to chips only.
            String inputRule = photos ? "raw photos, MTCNN-aligned" : fit(source, images.get(0), m);
            System.out.println("Embedding " + images.size() + " images with " + model + " (" + m.inputHeight() + "x" + m.inputWidth()
                + " input, " + extractor.dimension() + " values per image, flip " + mode.cliName() + ", pixels " + m.normalisation().describe() + "; " + inputRule + ")");
            Embeddings e = photos ? embedPhotos(m, embedder, mode, images) : extractor.extract(images, source);
            EmbeddingsCsv.write(out, e);
            System.out.println("wrote " + out);
            return 0;
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The inference engine in --precision (int8 where the model file is quantized), said on the console. */
    private Embedder embedder(FaceModel m) {
        Embedder e;
        try {
            Int8Scales int8 = Int8Scales.read(model);
            Precision p = Precision.parse(precision).resolve();
            // fp32 embeds through the model's own graph: the very numbers verify, calibrate and identify compute, so a
            // gallery or threshold made from embed's CSV matches them exactly; bf16 and int8 go through the engine
            e = p == Precision.FP32 && int8 == null ? m : InferenceEngine.embedder(m, int8, p);
        } catch (IllegalArgumentException ex) {
            throw new UserError("--precision " + precision + ": " + ex.getMessage(), ex);
        }
        System.out.println("inference: " + (e instanceof InferenceEngine ie ? "oneDNN engine, " + ie.format() : "the model's own graph (fp32)")
            + " (oneDNN sees " + CpuIsa.current().name() + ")");
        return e;
    }

    /** How the images meet the model's input (InputFit), from the first one; images it refuses stop here. */
    private static String fit(EmbeddingExtractor.ImageSource source, String first, FaceModel m) throws IOException {
        RgbImage img = source.read(first);
        String how = InputFit.describe(img.width(), img.height(), m.inputWidth(), m.inputHeight());
        if (how == null) throw new UserError(first + " " + InputFit.refusal(img.width(), img.height(), m.inputWidth(), m.inputHeight()));
        return "images " + how;
    }

    /** Raw photos through the one photo -> face -> embedding path that verify uses. */
    private Embeddings embedPhotos(FaceModel m, Embedder embedder, FlipMode mode, List<String> images) {
        List<Path> files = images.stream().map(data::resolve).toList();
        Map<Path, String> unusable = new LinkedHashMap<>();
        Map<Path, FaceEmbedding> embedded;
        try (MtcnnDetector detector = photoOptions.detector()) {
            embedded = photoOptions.pipeline(m, mode, detector).withEmbedder(embedder).embedEach(files, new ConsoleProgress(), unusable);
        }
        for (String reason : unusable.values()) System.out.println("left out " + reason);
        if (embedded.isEmpty()) throw new UserError("none of the " + images.size() + " photos under " + data + " has a usable face");
        Embeddings.Builder b = Embeddings.builder(mode.dimension(m.embeddingSize()));
        for (int i = 0; i < images.size(); i++) {
            FaceEmbedding f = embedded.get(files.get(i));
            if (f != null) b.add(images.get(i), f.embedding());
        }
        return b.build();
    }

    private List<String> imagesToEmbed() throws IOException {
        if (pairs != null) return EmbeddingExtractor.imagesOf(LfwPairs.read(pairs).pairs(), extension.ext);
        List<String> images = new ArrayList<>();
        for (IdentityDataset.Entry en : IdentityDataset.scan(data).entries()) images.add(en.path());
        return images;
    }
}
