package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "train", description = "Train a face-embedding network with a margin head.")
final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'train' is not built yet");
    }
}
