package amface.cli;

import java.util.concurrent.Callable;

import amface.nn.Backend;
import amface.nn.layers.CpuIsa;
import amface.nn.layers.Precision;
import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Print which backend and device amface runs on.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Backend b = Backend.describe();
        System.out.println(b.summary());
        System.out.printf("  backend %s, device %s, cores %d, oneDNN %s, cuDNN %s, native build %s%n",
            b.backend(), b.device(), b.cores(), b.onednn(), b.cudnn(), b.nd4jClassifier());
        String why = Precision.bf16Problem();
        System.out.printf("  oneDNN ISA %s; precision auto picks %s%s%n", CpuIsa.current().name(), Precision.AUTO.resolve(),
            why == null ? "" : " (" + why + ")");
        return 0;
    }
}
