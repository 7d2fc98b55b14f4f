package amface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import amface.eval.Embeddings;
import amface.eval.EmbeddingsCsv;
import amface.eval.FlipMode;
import amface.identification.BlufrEvaluation;
import amface.identification.CachedDistractors;
import amface.identification.BlufrTrials;
import amface.identification.DistractorSource;
import amface.identification.IdentificationCharts;
import amface.identification.LfwDistractorProtocol;
import amface.identification.MegaFaceLists;
import amface.identification.MegaFaceProtocol;
import amface.identification.OpenSetIdentification;
import amface.identification.SyntheticDistractors;
import amface.identification.TemplatePooling;
import amface.io.AtomicFile;
import amface.nn.FaceModel;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ident-eval", mixinStandardHelpOptions = true,
    description = {
        "Evaluate face identification (1:N) on embeddings: the LFW distractor protocol (CMC, TPIR@FPIR, DET, rank-1 against "
            + "the number of distractors, real LFW single-image people then optionally synthetic faces), LFW-BLUFR (official "
            + "blufr_lfw_config.mat or generated BLUFR-style trials) and the MegaFace protocol from the devkit's lists and feature files."
    })
final class IdentEvalCommand implements Callable<Integer> {
    @Option(names = "--embeddings", paramLabel = "FILE.csv",
        description = "Embeddings CSV of LFW images (path Name/Name_0001.jpg), e.g. from 'amface embed --data lfw-112x96'; the LFW protocol and BLUFR run on it.")
    Path embeddings;

    @Option(names = "--identities", paramLabel = "FILE",
        description = "Only these people (one name per line), e.g. the held-out fold of an LFW fold-out model: a model must not be evaluated on people it trained on.")
    Path identities;

    @Option(names = "--distractors", defaultValue = "0,10,100,1000,10000", split = ",", paramLabel = "N",
        description = "Distractor counts to report rank-1 and TPIR at (default: ${DEFAULT-VALUE}); beyond LFW's single-image people they are synthetic (--synthetic-model).")
    int[] distractors;

    @Option(names = "--synthetic-model", paramLabel = "MODEL.zip",
        description = "Extend the gallery beyond the real distractors with synthetic faces embedded by this model with --flip (the model and flip that wrote --embeddings).")
    Path syntheticModel;

    @Option(names = "--synthetic-seed", defaultValue = "" + SyntheticDistractors.SEED, paramLabel = "SEED", description = "Seed of the synthetic distractor faces; not a seed the model trained on (default: ${DEFAULT-VALUE}; the demo trains on 1).")
    long syntheticSeed;

    @Mixin
    FlipOption flip;

    @Option(names = "--non-mated", defaultValue = "0.2", paramLabel = "SHARE",
        description = "Share of the people with two or more images held out of the gallery as non-mated probes, 0 to 0.9 (default: ${DEFAULT-VALUE}).")
    double nonMated;

    @Option(names = "--gallery-images", defaultValue = "1", paramLabel = "K",
        description = "Images per enrolled person pooled into one gallery template (IJB-style mean of normalised features), 1 to 100 (default: ${DEFAULT-VALUE}); K > 1 leaves out people with K or fewer images.")
    int galleryImages;

    static final OptionRange GALLERY_IMAGES = OptionRange.of("--gallery-images", 1, 100, "images per gallery template");

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed of the gallery / probe split and of generated BLUFR trials (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--blufr", description = "Also compute LFW-BLUFR (VR@FAR=0.1%%/0.01%%, DIR@FAR=1%% rank 1, 10 trials) on trials generated from the embeddings' people.")
    boolean blufr;

    @Option(names = "--blufr-config", paramLabel = "FILE.mat", description = "The official blufr_lfw_config.mat instead of generated trials (implies --blufr).")
    Path blufrConfig;

    @Option(names = "--megaface-probes", paramLabel = "LIST.json", description = "MegaFace devkit probe list (facescrub_features_list.json: \"id\" and \"path\").")
    Path megafaceProbes;

    @Option(names = "--megaface-distractors", paramLabel = "LIST.json", description = "MegaFace devkit distractor list (megaface_features_list.json_1000000_1); nested prefixes give each size.")
    Path megafaceDistractors;

    @Option(names = "--megaface-features", paramLabel = "DIR", description = "Root of the feature files (both lists' paths are relative to it).")
    Path megafaceFeatures;

    @Option(names = "--megaface-suffix", defaultValue = "_feat.bin", paramLabel = "SUFFIX", description = "Feature file suffix after the image path (default: ${DEFAULT-VALUE}).")
    String megafaceSuffix;

    @Mixin
    JsonFileOption json;

    @Option(names = "--charts", paramLabel = "DIR", description = "Write cmc.png, det.png and rank1-vs-distractors.png into DIR.")
    Path charts;

    static final OptionRange NON_MATED = OptionRange.of("--non-mated", 0, 0.9, "share of non-mated people");

    @Override
    public Integer call() {
        NON_MATED.check(nonMated);
        GALLERY_IMAGES.check(galleryImages);
        boolean megaface = megafaceProbes != null || megafaceDistractors != null || megafaceFeatures != null;
        if (megaface && (megafaceProbes == null || megafaceDistractors == null || megafaceFeatures == null)) {
            throw new UserError("the MegaFace protocol needs --megaface-probes, --megaface-distractors and --megaface-features");
        }
        if (embeddings == null && !megaface) throw new UserError("give --embeddings FILE.csv (LFW protocol, BLUFR) or the --megaface-* lists");
        if (embeddings == null && (blufr || blufrConfig != null || syntheticModel != null)) throw new UserError("--blufr and --synthetic-model need --embeddings");
        try {
            json.check();
            StringBuilder out = new StringBuilder("{\n");
            if (embeddings != null) runLfw(EmbeddingsCsv.read(embeddings), out);
            if (megaface) runMegaFace(out);
            if (out.charAt(out.length() - 2) == ',') out.setLength(out.length() - 2);
            out.append("\n}\n");
            json.write("ident-eval", out.toString());
            return 0;
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private void runLfw(Embeddings emb, StringBuilder out) throws IOException {
        Set<String> allowed = identities == null ? null : readIdentities(identities);
        LfwDistractorProtocol protocol = LfwDistractorProtocol.of(emb).withSeed(seed).withNonMatedShare(nonMated).withCheckpoints(distractors).withGalleryImages(galleryImages);
        if (allowed != null) protocol.withIdentityFilter(allowed::contains);
        DistractorSource synthetic = null;
        if (syntheticModel != null) {
            FaceModel m = FaceModel.load(syntheticModel);
            FlipMode mode = flip.mode(m);
            if (mode.dimension(m.embeddingSize()) != emb.dimension()) {
                throw new UserError(syntheticModel + " with flip " + mode.cliName() + " gives " + mode.dimension(m.embeddingSize()) + " values, " + embeddings + " has " + emb.dimension() + ": not the model (or flip mode) that wrote the embeddings");
            }
            int count = distractors[distractors.length - 1];
            if (syntheticCache == null) {
                synthetic = new SyntheticDistractors(m, mode, syntheticSeed, SyntheticDistractors.DIFFICULTY, count, SyntheticDistractors.BATCH);
            } else {
                OutputFolders.requireFolderOrAbsent(syntheticCache, "--synthetic-cache");
                cacheLock = FolderLock.acquire(syntheticCache, "amface ident-eval --synthetic-cache " + syntheticCache);
                synthetic = CachedDistractors.painted(syntheticCache, m, mode, syntheticSeed, SyntheticDistractors.DIFFICULTY, count, System.out::println);
            }
        }
        System.out.println("LFW identification protocol on " + embeddings + " (" + emb.size() + " embeddings" + (allowed != null ? ", " + allowed.size() + " allowed people" : "") + ")");
        LfwDistractorProtocol.Result r;
        try {
            r = protocol.run(synthetic, new ConsoleProgress());
        } finally {
            if (cacheLock != null) cacheLock.close();
            cacheLock = null;
        }
        if (synthetic instanceof CachedDistractors c && c.reused() > 0) System.out.println(c.reused() + " synthetic distractors read from " + syntheticCache);
        System.out.print(r.summary());
        if (synthetic == null && distractors[distractors.length - 1] > r.realDistractors()) {
            System.out.println("(stopped at the " + r.realDistractors() + " real distractors: give --synthetic-model to go on with painted faces)");
        }
        out.append("\"lfw\": {\"enrolled\": ").append(r.enrolled()).append(", \"mated_probes\": ").append(r.matedProbes())
            .append(", \"non_mated_probes\": ").append(r.nonMatedProbes()).append(", \"real_distractors\": ").append(r.realDistractors())
            .append(", \"synthetic_distractors\": ").append(r.syntheticDistractors()).append(",\n  \"cmc\": ").append(array(r.cmc().rates()))
            .append(",\n  \"open_set\": [");
        for (int i = 0; i < r.openSet().size(); i++) {
            OpenSetIdentification.Point p = r.openSet().get(i);
            out.append(i > 0 ? ", " : "").append("{\"fpir_target\": ").append(num(p.targetFpir())).append(", \"rank\": 1, \"tpir\": ").append(num(p.tpir()))
                .append(", \"fpir\": ").append(num(p.fpir())).append(", \"threshold\": ").append(num(p.threshold())).append("}");
        }
        out.append("],\n  \"points\": [");
        for (int i = 0; i < r.points().size(); i++) {
            LfwDistractorProtocol.Point p = r.points().get(i);
            out.append(i > 0 ? ",\n    " : "\n    ").append("{\"distractors\": ").append(p.distractors()).append(", \"synthetic\": ").append(p.synthetic())
                .append(", \"rank1\": ").append(num(p.rank1())).append(", \"rank10\": ").append(num(p.rank10())).append(", \"tpir_at_fpir\": ").append(array(p.tpirAtFpir())).append("}");
        }
        out.append("],\n  \"fpirs\": ").append(array(r.fpirs())).append("},\n");
        if (charts != null) {
            Files.createDirectories(charts);
            png(charts.resolve("cmc.png"), IdentificationCharts.cmc(Map.of("LFW, real distractors", r.cmc())));
            if (r.det() != null) png(charts.resolve("det.png"), IdentificationCharts.det(Map.of("LFW, real distractors", r.det())));
            png(charts.resolve("rank1-vs-distractors.png"), IdentificationCharts.rank1VsDistractors(r));
            System.out.println("wrote " + charts.resolve("cmc.png") + ", det.png, rank1-vs-distractors.png");
        }
        if (blufr || blufrConfig != null) runBlufr(emb, allowed, out);
    }

    private void runBlufr(Embeddings emb, Set<String> allowed, StringBuilder out) throws IOException {
        BlufrTrials trials;
        String what;
        if (blufrConfig != null) {
            trials = BlufrTrials.read(blufrConfig);
            what = "official trials of " + blufrConfig;
        } else {
            Map<String, List<String>> people = new LinkedHashMap<>();
            for (String p : emb.paths()) {
                String id = TemplatePooling.lfwIdentity(p);
                if (allowed == null || allowed.contains(id)) people.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
            }
            trials = BlufrTrials.generate(people, seed);
            what = "BLUFR-style trials generated with seed " + seed + " (not the official ones)";
        }
        // The official list names files (AJ_Cook_0001.jpg); match them to the CSV by file name.
        Map<String, String> byName = new HashMap<>();
        for (String p : emb.paths()) byName.put(p.substring(p.lastIndexOf('/') + 1), p);
        float[][] features = new float[trials.images().size()][];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            String img = trials.images().get(i);
            String path = emb.contains(img) ? img : byName.get(img.substring(img.lastIndexOf('/') + 1));
            if (path == null) { missing.add(img); continue; }
            features[i] = TemplatePooling.normalise(emb.get(path));
        }
        if (!missing.isEmpty()) throw new UserError(missing.size() + " BLUFR images have no embedding in " + embeddings + ", e.g. " + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        System.out.println("LFW-BLUFR on " + what);
        BlufrEvaluation.Result r = BlufrEvaluation.evaluate(trials, features, new ConsoleProgress());
        System.out.print(r.summary());
        out.append("\"blufr\": {\"official\": ").append(blufrConfig != null).append(", \"trials\": ").append(r.trials().size())
            .append(", \"vr_far_1e-3\": ").append(num(r.vrMean(0))).append(", \"vr_far_1e-3_std\": ").append(num(r.vrStd(0)))
            .append(", \"vr_far_1e-4\": ").append(num(r.vrMean(1))).append(", \"vr_far_1e-4_std\": ").append(num(r.vrStd(1)))
            .append(", \"dir_far_1e-2_rank1\": ").append(num(r.dirMean())).append(", \"dir_std\": ").append(num(r.dirStd())).append("},\n");
    }

    private void runMegaFace(StringBuilder out) throws IOException {
        MegaFaceLists.ImageList probes = MegaFaceLists.readList(megafaceProbes);
        MegaFaceLists.ImageList distractorList = MegaFaceLists.readList(megafaceDistractors);
        float[][] probeFeatures = MegaFaceLists.readFeatures(probes, megafaceFeatures, megafaceSuffix);
        List<Integer> sizes = new ArrayList<>();
        for (int n : MegaFaceProtocol.STANDARD_SIZES) if (n <= distractorList.paths().size()) sizes.add(n);
        if (sizes.isEmpty()) throw new UserError(megafaceDistractors + " lists fewer than 10 distractors");
        MegaFaceProtocol.Result r = MegaFaceProtocol.of(probeFeatures, MegaFaceLists.labels(probes))
            .withSizes(sizes.stream().mapToInt(Integer::intValue).toArray()).withProgress(new ConsoleProgress())
            .run(MegaFaceLists.distractors(distractorList, megafaceFeatures, megafaceSuffix));
        System.out.print(r.summary());
        out.append("\"megaface\": {\"probe_images\": ").append(r.probeImages()).append(", \"points\": [");
        for (int i = 0; i < r.points().size(); i++) {
            MegaFaceProtocol.Point p = r.points().get(i);
            out.append(i > 0 ? ", " : "").append("{\"distractors\": ").append(p.distractors()).append(", \"rank1\": ").append(num(p.rank1()))
                .append(", \"tar_at_far_1e-6\": ").append(num(p.tar())).append("}");
        }
        out.append("]},\n");
    }

    private static Set<String> readIdentities(Path file) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) out.add(line.strip());
        if (out.isEmpty()) throw new UserError("--identities " + file + " names nobody");
        return out;
    }

    private static void png(Path file, XYChart chart) throws IOException {
        AtomicFile.writeStream(file, o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String array(double[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) s.append(i > 0 ? ", " : "").append(num(v[i]));
        return s.append("]").toString();
    }

    @Option(names = "--synthetic-cache", paramLabel = "DIR",
        description = "Keep the synthetic distractors' embeddings in DIR as they are made: a stopped run continues there, a rerun with the same model and seed reads them.")
    Path syntheticCache;

    private FolderLock cacheLock;
}
