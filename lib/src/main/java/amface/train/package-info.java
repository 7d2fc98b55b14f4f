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
 * <p>A sweep ({@link amface.train.Sweep}, {@code amface sweep}) trains a grid of such runs from one
 * {@link amface.train.SweepConfig}, each in {@code OUT/runs/HASH/}, and collects them in
 * {@link amface.train.SweepResults} ({@code results.csv}, the summary by cell, the accuracy-vs-m plot):
 * <pre>
 *   SweepConfig grid = SweepConfig.builder().base(recipe).protocol("synthetic")
 *       .cells("softmax", "normface", "am:0.1", "am:0.2", "am:0.35").seeds(1, 2).build();
 *   SweepResults r = Sweep.of(grid).out(Path.of("runs/sweep")).progress(bar).listener(live).run();
 *   Display.table(r.summary()); Display.chart(r.chart());
 * </pre>
 */
package amface.train;
