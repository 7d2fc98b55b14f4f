package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "align", description = "Benchmark MTCNN alignment against facenet-pytorch on the same CPU.")
final class BenchAlignCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'bench align' is not built yet");
    }
}
