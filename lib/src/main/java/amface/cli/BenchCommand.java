package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Benchmark amface against PyTorch on the same CPU.",
    subcommands = {BenchAlignCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'bench' is not built yet");
    }
}
