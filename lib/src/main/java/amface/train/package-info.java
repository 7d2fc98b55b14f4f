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
 * {@link amface.train.DataParallel} lets another engine run the steps of a run ({@code Trainer.dataParallel}: the
 * Spark training masters of the {@code amface-spark} module) while the trainer keeps everything else; its workers
 * may read the images themselves from batch plans ({@code DataParallel.BatchPlan}) and build the same batches with
 * {@link amface.train.SampleAugmentation}, the loader's own fit/crop/mirror/normalise step.
 *
 * A run folder holds {@code checkpoint.zip} ({@link amface.train.Checkpoint}), {@code metrics.csv}
 * ({@link amface.train.MetricsLog}, plotted by {@link amface.train.LossChart}), {@code config.properties} and at the
 * end {@code model.zip} (an {@link amface.nn.FaceModel} for {@code amface embed}).
 *
 * <h2>Settings</h2>
 * {@link amface.train.TrainConfig} is the single source of the settings: each public field carries an
 * {@link amface.config.Setting} (help, valid range or choices, CLI aliases) and its initial value is the default.
 * {@code TrainConfig.keys()} reads config files and checks values ("batch = 0 is out of range: must be in [1, inf)"),
 * {@code amface train} generates its options from it, and the sweep reads its recipe with it. A new setting is one
 * annotated field; give it a default that reproduces today's behaviour and {@code omittedAtDefault = true}: then
 * {@code TrainConfig.keys().identity(config)} (what sweep-run hashes and run records are taken of) leaves it out while
 * it is at its default, and published sweep hashes and existing run folders stay valid ({@code PublishedSweepHashesTest}).
 *
 * <h2>Fine-tuning</h2>
 * {@code init} (a model file: {@code amface import}'s or any amface model) starts the backbone from its weights and
 * batch-norm statistics with a new head, and the run uses that model's pixel normalisation; {@code backboneLrMultiplier}
 * scales the backbone's learning rate and {@code freezeStages} keeps the stem and the first stages exactly as they
 * were ({@code FineTuning}).
 *
 * <h2>Dependencies</h2>
 * Uses {@code config}, {@code data}, {@code image}, {@code nn}, {@code head} and {@code eval} (pair verification
 * during training). Must not depend on {@code sweep}, {@code pipeline}, {@code onnx}, {@code notebook} or
 * {@code cli}: a grid of runs is the {@code amface.sweep} package's, which uses only this package's public API.
 */
package amface.train;
