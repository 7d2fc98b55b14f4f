package amface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import amface.gallery.GalleryFolder;
import amface.io.OutputFolders;
import amface.nn.FaceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Build a gallery index from faces of known people: one folder per identity (aligned images, raw photos with --photos) "
        + "or an embeddings CSV. Replaces an index already in --out only once the new one is complete.")
final class IndexBuildCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Mixin
    GallerySourceOptions source;

    @Mixin
    GallerySourceOptions.Engine engine;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The index folder to write (locked while building).")
    Path out;

    @Override
    public Integer call() {
        Path modelFile = model.file();
        Path input = source.input();
        engine.engine();
        engine.params();
        try {
            OutputFolders.requireApart(input, out, source.data != null ? "--data" : "--embeddings", "--out");
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        return IndexCommand.change(out, "amface index build --out " + out, before -> {
            if (before != null) System.out.println("replacing the index in " + out + " (" + IndexCommand.describe(before) + ") once the new one is complete");
            FaceModel m = FaceModel.load(modelFile);
            return source.gallery(m, out);
        }, engine, modelFile.toAbsolutePath().toString(), true);
    }

    /** Reads an index for commands that change it, refusing a folder with none. */
    static GalleryFolder require(GalleryFolder f, Path dir) {
        if (f == null) throw new UserError(dir + ": no gallery index (build one with amface index build)");
        return f;
    }
}
