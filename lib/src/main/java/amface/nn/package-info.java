/**
 * Face backbones on DL4J at native speed.
 *
 * <pre>{@code
 * BackboneSpec spec = BackboneSpec.named("resface20").channels(16, 32, 64, 128).input(56, 48);
 * FaceModel model = FaceModel.create(spec);                 // or FaceModel.load(Path.of("runs/am20/model.zip"))
 * float[][] embeddings = model.embed(alignedImages);
 * }</pre>
 *
 * <ul>
 *   <li>{@link amface.nn.Backbone}: the registry of backbone families, a sealed interface with one record per
 *       family ({@link amface.nn.ResFace}, {@link amface.nn.LResNetEIr}, {@link amface.nn.IResNet}), each owning its model-file id, its named
 *       presets, its short name, its batch-norm constants ({@link amface.nn.BatchNormSettings}: the reference's
 *       epsilon 1e-3 for ResFace and L-ResNet-E-IR, PyTorch's 1e-5 for insightface's IResNets) and its graph
 *       building. {@code Backbone.names()} feeds the CLI's choices.</li>
 *   <li>{@link amface.nn.BackboneSpec}: the facade: a family plus sizes (channels, units, input size, embedding
 *       size, dropout); {@code addTo(graphBuilder, input)} adds one to any ComputationGraph and returns the
 *       embedding vertex, {@code embeddingGraph()} builds the inference graph; {@code toProperties()} is the
 *       description stored in model files (read by the one settings parser, {@code amface.config}).</li>
 *   <li>{@link amface.nn.FaceModel}: graph + spec + class names; {@code embed}, atomic {@code save}, checked
 *       {@code load}.</li>
 *   <li>{@link amface.nn.ModelMetadata} (pixel normalisation, flip mode, {@link amface.nn.VerificationThreshold}) stored
 *       in the model file; {@link amface.nn.ModelFingerprint}: architecture + weights only, for run folders,
 *       checkpoints and gallery indexes.</li>
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
 * optional PReLU, one layer, NHWC) and {@code ChannelBatchNorm}.
 *
 * <h2>Two compute paths</h2>
 * <ul>
 *   <li><b>CPU, float32</b> (training and inference): oneDNN 2.5 called directly through JavaCPP's presets
 *       ({@code org.bytedeco:dnnl}; {@code OneDnnConvolution}, {@code OneDnnBatchNormPrelu},
 *       {@code OneDnnPrelu}). libnd4j M2.1 bundles oneDNN 2.3 but creates a primitive (JIT code generation plus a
 *       weight reorder) on every call and never picks Winograd. Here primitives are created once per layer and
 *       shape; every 3x3 stride-1 convolution runs Winograd F(4x4, 3x3) (measured 1.2-1.7x faster than direct
 *       at every ResFace size, forward and backward, relative error ~1e-6); inference folds the batch norm into
 *       the convolution's weights and bias, reorders them once and keeps them until a parameter fingerprint
 *       changes; batch norm and PReLU are oneDNN's jit kernels (~2x the Java loops below). Numbers and reasons
 *       are in those classes' comments. MTCNN's small inference nets run as {@code OneDnnChain}s: convolution,
 *       PReLU, max-pooling and dense primitives on NHWC buffers, no ND4J arrays in between.</li>
 *   <li><b>Everywhere else</b> (CUDA with cuDNN, double precision for the gradient checks, or with
 *       {@code -Damface.nn.conv=nd4j}): libnd4j's {@code conv2d}/{@code conv2d_bp}, and batch norm + PReLU as
 *       two fused passes forward and two backward: vectorised Java loops on the CPU (libnd4j's {@code moments},
 *       {@code batchnorm_bp} and {@code prelu} were 5-100x slower than a convolution pass on the same tensor, and
 *       {@code prelu_bp} rejects conv-sized inputs), native element-wise ops on CUDA.</li>
 * </ul>
 * The second path is checked against finite differences and DL4J's built-in layers; the first against the second
 * in one JVM (every op to 1e-5 against libnd4j in double, Winograd to 2e-5; whole networks' outputs and
 * gradients to 1e-4) and against the PyTorch golden file.
 *
 * <h2>Adding a backbone family</h2>
 * Two files: the family's record (say {@code MobileFaceNet implements Backbone}: {@code id()} as written in model
 * files and never changed, {@code presets()} such as {@code "mobilefacenet" -> spec}, {@code minUnitsPerStage()},
 * {@code depthName(spec)}, {@code addTo(graph, spec, input, prefix)} built from the shared
 * {@code BackboneLayers}), and one line in {@link amface.nn.Backbone}: its name in {@code permits} and an instance in
 * {@code FAMILIES}. {@code train --model}, {@code bench --models}, the config's valid values and model loading
 * follow. (Before the registry: five files, the Architecture enum, about six family switches in BackboneSpec, and
 * the name lists in TrainConfig, TrainCommand and BenchCommand.) Saved model files of each family are test fixtures
 * ({@code ModelFixturesTest}): they must keep loading with the same embeddings.
 *
 * <h2>Dependencies</h2>
 * Uses {@code nn.layers}, {@code config}, {@code data} and {@code image}. Must not depend on {@code head},
 * {@code train}, {@code eval}, {@code sweep} or anything above them.
 */
package amface.nn;
