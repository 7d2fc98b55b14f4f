/**
 * Sweeps: a grid of training runs (heads and margins x scales x backbones x seeds x folds) on one dataset
 * protocol, each a normal {@code amface.train} run folder {@code OUT/runs/HASH/}, collected in one results table.
 *
 * <pre>
 *   SweepConfig grid = SweepConfig.builder().base(recipe).protocol("synthetic")
 *       .cells("softmax", "normface", "am:0.1", "am:0.2", "am:0.35").seeds(1, 2).build();
 *   SweepResults r = Sweep.of(grid).out(Path.of("runs/sweep")).progress(bar).listener(live).run();
 *   Display.table(r.summary()); Display.chart(r.chart());
 * </pre>
 */
package amface.sweep;
