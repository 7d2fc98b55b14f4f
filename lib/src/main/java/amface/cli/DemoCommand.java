package amface.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "demo", description = "Run the main job on built-in synthetic faces: train, evaluate, write a run folder.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'demo' is not built yet");
    }
}
