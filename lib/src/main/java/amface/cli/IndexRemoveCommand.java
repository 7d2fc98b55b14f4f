package amface.cli;

import java.util.List;
import java.util.concurrent.Callable;

import amface.gallery.Gallery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Remove identities (every face of each) from a gallery index; an identity not in it is an error.")
final class IndexRemoveCommand implements Callable<Integer> {
    @Mixin
    IndexFolderOption index;

    @Parameters(arity = "1..*", paramLabel = "IDENTITY", description = "Identities to remove.")
    List<String> identities;

    @Override
    public Integer call() {
        return IndexCommand.change(index.folder, "amface index remove --index " + index.folder, before -> {
            Gallery g = IndexBuildCommand.require(before, index.folder).gallery();
            Gallery after = g.without(identities);
            System.out.println("removing " + (g.size() - after.size()) + " entries of " + identities.size() + " identities from " + g.size());
            return after;
        }, null, null, false);
    }
}
