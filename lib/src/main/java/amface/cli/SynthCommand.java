package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "synth", description = "Generate a synthetic face dataset and a pairs file.")
final class SynthCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'synth' is not built yet");
    }
}
