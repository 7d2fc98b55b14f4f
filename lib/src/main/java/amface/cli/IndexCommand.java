package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import amface.gallery.Gallery;
import amface.gallery.GalleryFolder;
import amface.io.FolderLock;
import amface.io.OutputFolders;
import amface.nn.ModelFingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "index", mixinStandardHelpOptions = true,
    description = {
        "Build and change a face gallery index for amface identify: build, add, remove, bench.",
        "  amface index build --model M --data ALIGNED --out gallery/     (or --embeddings CSV, or --photos)",
        "  amface index add --index gallery/ --model M --data MORE [--merge]",
        "  amface index remove --index gallery/ IDENTITY...",
        "Every change is written as a new generation and committed last, atomically: a stopped job leaves the old index,",
        "and its rerun continues the embedding from the chunks it finished (kept in DIR/embedding-chunks until the commit)."
    },
    subcommands = {IndexBuildCommand.class, IndexAddCommand.class, IndexRemoveCommand.class, IndexBenchCommand.class})
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * Runs {@code change} on the index folder while owning it: the folder is checked and locked before any work,
     * the new gallery written as the next generation; a refused or failed change leaves the index as it was. Only a
     * {@code replace} (a build) may overwrite a damaged index.
     */
    static int change(Path dir, String command, Function<GalleryFolder, Gallery> change, GallerySourceOptions.Engine engine, String model, boolean replace) {
        try {
            OutputFolders.requireFolderOrAbsent(dir, "--index");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        try (FolderLock lock = FolderLock.acquire(dir, command)) {
            GalleryFolder before = null;
            try {
                if (GalleryFolder.exists(dir)) before = GalleryFolder.read(dir);
            } catch (IllegalArgumentException damaged) {
                if (!replace) throw damaged;
                System.out.println("replacing a damaged index: " + damaged.getMessage());
            }
            Gallery g = change.apply(before);
            GalleryFolder.Engine e = engine != null ? engine.engine() : before != null ? before.engine() : GalleryFolder.Engine.AUTO;
            GalleryFolder after = GalleryFolder.writer(dir).engine(e).hnsw(engine != null ? engine.params() : before != null && before.hnswParams() != null
                ? before.hnswParams() : amface.gallery.HnswIndex.Params.DEFAULT).model(model != null ? model : before != null ? before.model() : "")
                .progress(new ConsoleProgress()).write(g);
            amface.gallery.EmbeddingChunks.forIndex(dir, "").delete();   // the index holds them now: a rerun has nothing to resume
            System.out.println("wrote " + dir + ": " + describe(after));
            return 0;
        } catch (IOException ex) {
            throw new UserError(ex.getMessage(), ex);
        }
    }

    static String describe(GalleryFolder f) {
        Gallery g = f.gallery();
        return g.size() + (g.pooled() ? " templates" : " faces") + " of " + g.identities().size() + " identities, " + g.dimension() + " values each, model "
            + ModelFingerprint.shortForm(g.fingerprint()) + ", flip " + g.flip() + ", engine " + f.engine().cliName()
            + (f.hnswParams() != null ? " (HNSW M=" + f.hnswParams().m() + ", beam " + f.hnswParams().beamWidth() + ")" : "");
    }
}
