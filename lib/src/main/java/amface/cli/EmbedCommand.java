package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "embed", description = "Write embeddings of a dataset's images to a CSV.")
final class EmbedCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'embed' is not built yet");
    }
}
