/**
 * Training: the reference AM-softmax recipe by default, resumable to the same loss sequence.
 *
 * <pre>
 *   TrainConfig c = TrainConfig.defaults();          // or TrainConfig.load(Path.of("configs/orl-small.properties"))
 *   c.data = Path.of("casia-aligned"); c.out = Path.of("runs/am20");
 *   TrainResult r = Trainer.create(c)
 *       .progress(bar)                                 // amface.data.Progress: CLI text bar, notebook live bar
 *       .listener(new TrainListener() {                // live plots: loss, accuracy, lr, throughput, memory
 *           public void step(StepMetrics m) { chart.add(m.step(), m.loss()); }
 *           public void verified(long step, double acc, double std) { ... }
 *       })
 *       .run();                                        // Thread interrupt / requestStop(): checkpoint and return
 *   Trainer.resume(Path.of("runs/am20")).run();        // continue after a crash or a stop
 * </pre>
 *
 * A run folder holds {@code checkpoint.zip} ({@link amface.train.Checkpoint}), {@code metrics.csv}
 * ({@link amface.train.MetricsLog}, plotted by {@link amface.train.LossChart}), {@code config.properties} and at the
 * end {@code model.zip} (an {@link amface.nn.FaceModel} for {@code amface embed}).
 *
 *
 * <p>A grid of such runs is the {@code amface.sweep} package's: it uses only this package's public API, and this
 * package never refers to it.
 */
package amface.train;
