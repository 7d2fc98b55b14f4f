package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import amface.data.SyntheticFaces;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
    description = {"Generate a synthetic face dataset and a pairs file.",
        "Writes OUT/train/idNNNNN/*.png (training people), OUT/heldout/idNNNNN/*.png (other people) and OUT/pairs.txt "
            + "(LFW format, 10 folds, over the held-out people). Rerunning with the same settings completes an interrupted run."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new, empty, or an earlier synth run with the same settings).")
    Path out;

    @Mixin
    SyntheticFacesOptions faces = new SyntheticFacesOptions(500, 20, 100);

    @Option(names = "--pairs", paramLabel = "P", description = "Pairs in pairs.txt, half same, half different, in 10 folds: 20 to 10000000 (default 6000, as LFW; none with --heldout 0).")
    Integer pairs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed: the same seed gives the same images (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", paramLabel = "HxW", defaultValue = "112x96", description = "Image height x width, each 16 to 4096 (default ${DEFAULT-VALUE}; 112x112 is the other common template).")
    String size;

    static final OptionRange PAIRS = OptionRange.of("--pairs", 2 * SyntheticFaces.FOLDS, 10_000_000, "pairs: a same and a different pair in each of 10 folds at least");
    static final OptionRange SIDE = OptionRange.of("--size", 16, 4096, "image height and width in pixels");

    @Override
    public Integer call() {
        int[] hw = parseSize(size);
        // Every value checked before any work, naming the option.
        SIDE.check(hw[0]);
        SIDE.check(hw[1]);
        faces.check();
        int heldOut = faces.heldOut;
        if (pairs != null && heldOut == 0 && pairs > 0) throw new UserError("--pairs " + pairs + " needs held-out identities (--heldout 2 or more)");
        if (pairs != null && heldOut > 0) PAIRS.check(pairs);
        try {
            OutputFolders.requireFolderOrAbsent(out, "--out");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        SyntheticFaces painter;
        try {
            painter = SyntheticFaces.builder().seed(seed).difficulty(faces.difficulty).size(hw[1], hw[0]).build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long t0 = System.nanoTime();
        SyntheticFaces.Written w;
        try (FolderLock owned = FolderLock.acquire(out, "amface synth --out " + out)) {
            int pairCount = pairs != null ? pairs : heldOut > 0 ? 6000 : 0;
            w = painter.writeDataset(out, faces.identities, faces.images, heldOut, pairCount, new ConsoleProgress());
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long total = (long) (faces.identities + heldOut) * faces.images;
        System.out.printf("training set: %s (%d identities x %d images)%n", w.train(), w.trainIdentities(), w.imagesPerIdentity());
        if (w.pairs() != null) {
            System.out.printf("held-out set: %s (%d identities), pairs: %s (%d pairs in %d folds%s)%n", w.heldOut(), w.heldOutIdentities(),
                w.pairs(), w.pairCount(), SyntheticFaces.FOLDS, w.foldsDisjoint() ? ", people disjoint across folds" : ", folds share people: use 20+ held-out identities to separate them");
        }
        System.out.printf("%d images in %.1f s (%.0f images/s)%n", total, seconds, total / seconds);
        return 0;
    }

    /** "112x96" (height x width) -> {112, 96}. */
    static int[] parseSize(String text) {
        String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length != 2) throw new NumberFormatException();
            return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            throw new UserError("--size: expected HEIGHTxWIDTH such as 112x96, got '" + text + "'");
        }
    }
}
