/**
 * Margin heads: the output layer that turns embeddings into class logits with an angular or cosine margin.
 *
 * <ul>
 *   <li>{@link amface.head.MarginSoftmax} - the Deeplearning4j layer configuration (class weights W [embedding x
 *       classes], margin, scale s, optionally learned, margin warm-up, head learning-rate multiplier);
 *       {@link amface.head.MarginSoftmaxLayer} runs it, {@link amface.head.MarginSoftmaxParams} lays out W, b, s.</li>
 *   <li>{@link amface.head.Margin} and its kinds: {@link amface.head.CosineMargin} (AM-softmax = CosFace; NormFace
 *       with m = 0), {@link amface.head.ArcMargin} (ArcFace), {@link amface.head.CombinedMargin}
 *       (cos(m1 theta + m2) - m3), {@link amface.head.SphereMargin} (SphereFace with lambda annealing); plain
 *       softmax is a null margin.</li>
 *   <li>{@link amface.head.MarginLoss} - the forward and backward arithmetic, checked against PyTorch golden files
 *       (reference/heads_golden.py) and finite differences.</li>
 *   <li>{@link amface.head.HeadSpec} - a head by name ("am", "arcface", ...) for the CLI and configs.</li>
 * </ul>
 *
 * The layer's activations are the cosine logits without margin or scale ([batch x classes]; plain softmax: its
 * logits), e.g. {@code graph.output(List.of("head"), false, inputs, null)[0]} for per-class analysis.
 */
package amface.head;
