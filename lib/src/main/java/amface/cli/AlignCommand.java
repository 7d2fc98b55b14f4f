package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "align", description = "Detect, align and crop every face of a dataset.")
final class AlignCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'align' is not built yet");
    }
}
