/**
 * Sweeps: a grid of training runs (heads and margins x scales x backbones x seeds x folds) on one dataset
 * protocol, each a normal {@code amface.train} run folder {@code OUT/runs/HASH/}, collected in one results table.
 *
 * <pre>
 *   SweepConfig grid = SweepConfig.builder().base(recipe).protocol("synthetic")
 *       .cells("softmax", "normface", "am:0.1", "am:0.2", "am:0.35").seeds(1, 2).build();
 *   SweepResults r = Sweep.of(grid).out(Path.of("runs/sweep")).progress(bar).listener(live).run();
 * </pre>
 *
 * <ul>
 *   <li>{@link amface.sweep.SweepConfig}: the grid, from code or from a properties file (the recipe's
 *       {@code TrainConfig} keys plus {@code sweep.*} keys, both read by the one parser in {@code amface.config}).</li>
 *   <li>{@link amface.sweep.SweepCell}: one head of the grid ({@code am:0.35}, {@code arc:0.5:learned-s}); names,
 *       labels and aliases come from {@link amface.head.HeadKind}.</li>
 *   <li>{@link amface.sweep.SweepRun}: a run and its identity, the hash of what decides its result; a run already in
 *       {@code results.csv} or finished on disk is not trained again.</li>
 *   <li>{@link amface.sweep.Sweep}, {@link amface.sweep.SweepListener}: running, resuming, reporting live.</li>
 *   <li>{@link amface.sweep.SweepResults}, {@link amface.sweep.SweepSummary}, {@link amface.sweep.SweepPaired},
 *       {@link amface.sweep.SweepChart}, {@link amface.sweep.SweepMarkdown}: the table, the summary by cell, each
 *       cell against softmax and NormFace run by run, the accuracy-vs-m plot, the markdown for docs.</li>
 *   <li>{@link amface.sweep.SweepProtocol} and its kinds (synthetic, lfw-foldout, pairs): where training and test
 *       data come from.</li>
 * </ul>
 *
 * <p>Uses {@code train} (only its public API), {@code eval}, {@code head}, {@code nn}, {@code data} and
 * {@code config}. Must not depend on {@code pipeline}, {@code onnx}, {@code notebook} or {@code cli}; nothing below
 * it ({@code train} included) refers to it.
 */
package amface.sweep;
