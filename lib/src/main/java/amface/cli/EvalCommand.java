package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "eval", description = "Evaluate verification on pairs from an embeddings CSV.")
final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'eval' is not built yet");
    }
}
