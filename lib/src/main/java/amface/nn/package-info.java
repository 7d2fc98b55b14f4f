/**
 * Face backbones on DL4J at native speed.
 *
 * <ul>
 *   <li>{@link amface.nn.BackboneSpec}: ResFace20/36/64, L-ResNet50E-IR and their variants (channels, units, input
 *       size, embedding size, dropout); {@code addTo(graphBuilder, input)} adds one to any ComputationGraph and returns
 *       the embedding vertex, {@code embeddingGraph()} builds the inference graph.</li>
 *   <li>{@link amface.nn.FaceModel}: graph + spec + class names; {@code embed}, atomic {@code save}, checked
 *       {@code load}.</li>
 *   <li>{@link amface.nn.ModelSummary}: trainable parameters and MACs per image.</li>
 *   <li>{@link amface.nn.Benchmark} and {@link amface.nn.TorchPeer}: the two sides of {@code amface bench}.</li>
 * </ul>
 *
 * <h2>Why custom layers</h2>
 * Measured on the 2-core AVX-512 machine (ResFace20, batch 32, 112x96): DL4J M2.1's built-in layers train at
 * 2.5 img/s and infer at 8.5 img/s against PyTorch's 19 and 69, while libnd4j's own {@code conv2d}/{@code conv2d_bp}
 * (oneDNN, NHWC) are as fast as PyTorch's convolutions. The gap is the layer machinery: the convolution recomputed
 * in backprop, batch norm and PReLU as many Java-orchestrated passes, and {@code PReLULayer}'s broken backprop.
 * DL4J's oneDNN helpers (off in M2.1, reachable with a shim class) only reach 7.4 / 48 img/s, so instead of keeping
 * a shim the backbones use two layers of their own ({@code amface.nn.layers}): {@code ConvBnPrelu} (conv + BN +
 * optional PReLU, one layer, NHWC) and {@code ChannelBatchNorm}. Their convolutions call libnd4j's native ops
 * directly, and batch norm + PReLU run as two fused passes forward and two backward: vectorised Java loops on the
 * CPU (libnd4j's {@code moments}, {@code batchnorm_bp} and {@code prelu} were 5-100x slower than a convolution
 * pass on the same tensor, and {@code prelu_bp} rejects conv-sized inputs), native element-wise ops elsewhere
 * (CUDA). Both paths are checked against finite differences, against each other and against DL4J's built-in layers.
 */
package amface.nn;
