/**
 * The library's face in a Java (JJava) notebook: rich output (charts as PNG, Tablesaw tables as HTML, images),
 * output areas that redraw in place while a cell runs (progress bars, growing charts, a live training run), and
 * where a notebook finds its data and how big its runs are. Outside a kernel (CLI, tests) every call still
 * renders but sends nothing.
 *
 * <ul>
 *   <li>{@link amface.notebook.Display}: show a chart, table, image grid, HTML or text in a new output area;
 *       {@link amface.notebook.ChartPng}, {@link amface.notebook.TableHtml}, {@link amface.notebook.ImageGrid}
 *       render them.</li>
 *   <li>{@link amface.notebook.LiveProgress} (an {@code amface.data.Progress}), {@link amface.notebook.LiveChart}
 *       and {@link amface.notebook.LiveTraining}: output replaced in place ({@link amface.notebook.Displayed}).</li>
 *   <li>{@link amface.notebook.NotebookEnv} (project root, data paths) and {@link amface.notebook.NotebookMode}
 *       ({@code smoke} for CI and two CPU cores, {@code full} for a GPU).</li>
 *   <li>{@link amface.notebook.Kernel}: the one class that talks to JJava, by reflection, so the library runs
 *       without it.</li>
 * </ul>
 *
 * <pre>{@code
 * import static amface.notebook.Display.*;
 * TrainResult r = LiveTraining.create().run(Trainer.create(config));   // progress bar and chart, live
 * chart(VerificationCharts.roc(Map.of("model", result), FprAxis.LOG));
 * }</pre>
 *
 * <h2>Why it works this way</h2>
 * <ul>
 *   <li>Display methods return nothing: JJava prints a cell's last value, so a returned handle would show up as
 *       an extra {@code Out[n]}.</li>
 *   <li>Long jobs run in the cell's own thread: JJava delivers output only while the cell executes and drops what a
 *       background thread sends after it.</li>
 *   <li>Redraws are throttled (progress bars every 250 ms at most, charts once a second, less often when a draw
 *       is slow: the wait is at least ten times the last draw's cost) so a fast loop does not flood the notebook
 *       or spend its time drawing; the final state is always drawn.</li>
 *   <li>A kernel interrupt arrives only as the cell thread's interrupt flag, which XChart/Java2D drawing and JJava's
 *       socket (EINTR) clear; every draw and send keeps it ({@code InterruptFlag}), so an interrupted training run
 *       stops and checkpoints instead of running on.</li>
 * </ul>
 *
 * <p>Layering: {@code notebook} is a front end (top level of {@code lib/README.md}, beside {@code cli}) and may use
 * every package below it. Nothing in the library may depend on it, so the library runs headless in tests and CI;
 * it must not depend on {@code cli} either (a rule kept by hand: {@code amface.LayeringTest} puts the two on one
 * level and checks the first).
 */
package amface.notebook;
