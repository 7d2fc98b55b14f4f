package amface.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import amface.gallery.Gallery;
import amface.nn.FaceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "add", mixinStandardHelpOptions = true,
    description = {
        "Add faces to a gallery index with the model it was built with (another model is refused).",
        "An identity already in the index is an error unless --merge adds the images to it. --flip defaults to the index's."
    })
final class IndexAddCommand implements Callable<Integer> {
    @Mixin
    IndexFolderOption index;

    @Mixin
    ModelFileOption model;

    @Mixin
    GallerySourceOptions source;

    @Option(names = "--merge", description = "Identities already in the index get the new images (pooled: their template becomes the mean over all).")
    boolean merge;

    @Override
    public Integer call() {
        Path modelFile = model.file();
        source.input();
        return IndexCommand.change(index.folder, "amface index add --index " + index.folder, before -> {
            Gallery g = IndexBuildCommand.require(before, index.folder).gallery();
            FaceModel m = FaceModel.load(modelFile);
            g.requireModel(m.fingerprint(), modelFile.toString());
            source.flip.defaultTo(g.flip());
            if (source.pool != g.pooled()) {
                if (source.pool) throw new UserError(index.folder + " is not pooled: add without --pool");
                source.pool = true;   // a pooled index pools what is added
            }
            Gallery added = source.gallery(m, index.folder);
            g.requireFlip(added.flip(), "--flip " + added.flip());
            Gallery after = g.plus(added, merge);
            System.out.println("adding " + added.size() + " entries of " + added.identities().size() + " identities to " + g.size());
            return after;
        }, null, modelFile.toAbsolutePath().toString(), false);
    }
}
