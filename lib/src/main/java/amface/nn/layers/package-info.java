/**
 * amface's own Deeplearning4j layers and the kernels under them: a fused convolution + batch norm + PReLU and a
 * channel batch norm for NHWC activations, run on oneDNN called directly (CPU, float32) or on libnd4j's ops and
 * Java host loops (everywhere else); plus {@link amface.nn.layers.OneDnnChain}, the inference chain MTCNN's small
 * nets run as. {@code amface.nn}'s package doc says why the backbones need layers of their own.
 *
 * <ul>
 *   <li>{@link amface.nn.layers.ConvBnPrelu} / {@link amface.nn.layers.ConvBnPreluLayer}: configuration and
 *       runtime of the ResFace / L-ResNet-IR building block (square conv without bias, padding {@code k / 2}).</li>
 *   <li>{@link amface.nn.layers.ChannelBatchNorm} / {@link amface.nn.layers.ChannelBatchNormLayer}: batch norm
 *       over the last axis (NHWC channels or dense features).</li>
 *   <li>{@link amface.nn.layers.BatchNormPrelu}: statistics, forward and fused backward of BN + PReLU, choosing
 *       the host loops ({@code HostKernels}) or composed libnd4j ops; {@link amface.nn.layers.NativeOps}: the thin
 *       libnd4j calls ({@code conv2d}, {@code conv2d_bp}, ...).</li>
 *   <li>{@link amface.nn.layers.OneDnn}: whether the direct oneDNN path is usable here, and why not.</li>
 *   <li>{@link amface.nn.layers.Precision} (fp32, bf16, auto) and {@link amface.nn.layers.CpuIsa} (oneDNN's ISA);
 *       {@link amface.nn.layers.MixedPrecision}: the precision training runs in (bf16: the convolutions multiply in
 *       bf16, everything else stays fp32; no loss scaling, as bf16 has fp32's exponent range).</li>
 * </ul>
 *
 * <pre>{@code
 * g.addLayer("c1", new ConvBnPrelu.Builder().nOut(64).kernel(3).stride(2).prelu(true).build(), "input");
 * g.addLayer("bn", new ChannelBatchNorm.Builder().bnEpsilon(1e-3).bnDecay(0.995).build(), "c1");
 * OneDnnChain pnet = OneDnnChain.builder(3).conv(3, 10, w1, b1).prelu(a1).maxPool(2, 2, true).build();
 * }</pre>
 *
 * <h2>Measured choices</h2>
 * Timings at batch 32 on the shared 2-core AVX-512 machine; the numbers and conditions are in each class's doc.
 * <ul>
 *   <li>oneDNN 2.5 through JavaCPP rather than libnd4j's bundled 2.3, which makes a primitive (JIT and weight
 *       reorder) on every call and never picks Winograd; primitives are made once per layer and shape
 *       ({@code OneDnnConvolution}).</li>
 *   <li>Winograd F(4x4, 3x3) for 3x3 stride-1 convolutions with channels a multiple of 16: 29/60 against 36/89 ms
 *       forward/backward at 64x56x48 and faster at every ResFace size, relative error ~2e-6
 *       ({@code -Damface.nn.winograd=false} turns it off).</li>
 *   <li>oneDNN batch norm + PReLU ({@code OneDnnBatchNormPrelu}) about 2x the Java loops (4.0/7.8 against
 *       7.0/13.5 ms at 64x56x48); the Java loops in turn replace libnd4j's {@code moments} (~30 ms),
 *       {@code batchnorm_bp} (~150 ms) and {@code prelu} (~270 ms) on the same tensor, whose {@code prelu_bp}
 *       rejects it outright: two fused passes do the whole backward in ~20 ms.</li>
 *   <li>bf16 training convolutions (AVX512-BF16 without AMX, under load): forward in bf16 (direct {@code brgconv}
 *       with bf16 NHWC input, fp32 NHWC output written in place) everywhere; backward in bf16 only for stride-1
 *       convolutions from 14x12 up, as oneDNN 2.5's non-AMX bf16 backward lost to fp32 on stride 2 and on 7x6
 *       ({@code OneDnnConvolution.BF16_BACKWARD_MIN_PIXELS}; {@code ConvPrecisionProfile} measures it).</li>
 *   <li>One set of per-thread Winograd scratch buffers shared by all layers ({@code OneDnnScratch}): buffers per
 *       layer peaked at 7 GB for L-ResNet50E-IR training at batch 32.</li>
 *   <li>{@code OneDnnChain} keeps every activation NHWC: oneDNN 2.5's PReLU has a jit kernel only for NHWC, and NHWC
 *       needs no reorders between layers.</li>
 * </ul>
 * Paths are switched with {@code -Damface.nn.conv=nd4j} (libnd4j convolutions) and {@code -Damface.nn.kernels=native}
 * (libnd4j BN/PReLU); tests run both paths in one JVM and check them against each other, DL4J's built-in layers
 * and finite differences.
 *
 * <p>Layering: {@code nn.layers} uses no other amface package. It must not depend on {@code amface.nn} (the
 * backbones are built from these layers, not the other way round), nor on {@code align} or {@code head} (its
 * neighbours on level 4 of {@code lib/README.md}, which use it), nor on anything above ({@code amface.LayeringTest}
 * checks the levels).
 */
package amface.nn.layers;
