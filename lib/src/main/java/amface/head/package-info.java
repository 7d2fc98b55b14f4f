/**
 * Margin heads: the output layer that turns embeddings into class logits with an angular or cosine margin.
 *
 * <pre>{@code
 * HeadSpec head = HeadSpec.of("arc", 64, 0.5);                  // any HeadKind name or alias
 * MarginSoftmax layer = head.layer(512, classes);               // add to a graph after the embedding
 * graph.addLayer("head", layer, "embedding");
 * }</pre>
 *
 * <ul>
 *   <li>{@link amface.head.HeadKind} - the registry of head kinds: config name, sweep label, aliases, paper s and m,
 *       and the margin each builds. The CLI's choices, train's paper numbers and the sweep's cells read it.</li>
 *   <li>{@link amface.head.HeadSpec} - a head by name and numbers, as the CLI and configs give it.</li>
 *   <li>{@link amface.head.MarginSoftmax} - the Deeplearning4j layer configuration (class weights W [embedding x
 *       classes], margin, scale s, optionally learned, margin warm-up, head learning-rate multiplier);
 *       {@link amface.head.MarginSoftmaxLayer} runs it, {@link amface.head.MarginSoftmaxParams} lays out W, b, s.</li>
 *   <li>{@link amface.head.Margin} and its kinds: {@link amface.head.CosineMargin} (AM-softmax = CosFace; NormFace
 *       with m = 0), {@link amface.head.ArcMargin} (ArcFace), {@link amface.head.CombinedMargin}
 *       (cos(m1 theta + m2) - m3), {@link amface.head.SphereMargin} (SphereFace with lambda annealing); plain
 *       softmax is a null margin.</li>
 *   <li>{@link amface.head.MarginLoss} - the forward and backward arithmetic, checked against PyTorch golden files
 *       (reference/heads_golden.py) and finite differences.</li>
 * </ul>
 *
 * The layer's activations are the cosine logits without margin or scale ([batch x classes]; plain softmax: its
 * logits), e.g. {@code graph.output(List.of("head"), false, inputs, null)[0]} for per-class analysis.
 *
 * <h2>Adding a margin head</h2>
 * Two places: the {@link amface.head.Margin} subclass (its target logit and derivative, with a golden-file case in
 * {@code MarginLossTest}), and one line in {@link amface.head.HeadKind#ALL}, e.g.
 * {@code new HeadKind("toyface", "toy", List.of(), 32, 0.2, true, true, h -> new ToyMargin(h.m()), "cos - m^2")}.
 * The CLI's {@code --head} choices, {@code train}'s paper numbers and sweep cells such as {@code toy:0.2} follow.
 * (Before the registry: four places, the class, a switch in HeadSpec, paper defaults in TrainCommand, aliases in
 * SweepCell.)
 *
 * <h2>Dependencies</h2>
 * Uses ND4J/DL4J only, no other amface package. Must not depend on {@code train}, {@code eval}, {@code sweep} or
 * anything above them.
 */
package amface.head;
