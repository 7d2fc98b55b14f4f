/**
 * Fast inference for trained face models: the embedding network compiled into oneDNN 2.5 primitives with batch
 * norm folded, in f32, bf16 or int8, NHWC activations kept in the compute format between layers.
 *
 * <ul>
 *   <li>{@link amface.inference.InferencePlan}: the graph walk and folds: a model as Conv (+PReLU, + residual sum),
 *       Affine (a batch norm no neighbour absorbs), Add and Dense operators.</li>
 *   <li>{@link amface.inference.InferenceEngine}: an {@link amface.nn.Embedder} running the plan in the resolved
 *       {@link amface.nn.layers.Precision} (and int8 where the model file is quantized); per-step implementations
 *       and a per-kind time profile (convolutions against glue).</li>
 *   <li>{@link amface.inference.Int8Scales}, {@link amface.inference.Int8Calibration} and
 *       {@link amface.inference.ActivationRange}: post-training int8 quantization (per-channel weight scales,
 *       per-tensor activation ranges of least squared error chosen from histograms over a few hundred aligned faces,
 *       optionally operators kept in f32/bf16), stored in the model file's metadata under {@code quantization}
 *       (weights and fingerprint unchanged; training refuses such a file through
 *       {@code amface.train.Checkpoint.refuseQuantized}). {@code amface quantize} is the CLI; int8 accuracy is
 *       measured by {@code bench/int8-accuracy} (figures below).</li>
 *   <li>{@link amface.inference.InferenceBenchmark}: images per second per format, the share of the
 *       convolution-only limit, the load average with every figure.</li>
 * </ul>
 *
 * <pre>{@code
 * InferenceEngine e = InferenceEngine.of(FaceModel.load(path), Precision.AUTO);
 * float[][] embeddings = e.embed(alignedFaces);          // same as FaceModel.embed, faster
 * Int8Calibration.of(model).calibrate(faces, progress).writeModel(path, Path.of("model-int8.zip"));
 * }</pre>
 *
 * <p>int8 accuracy ({@code bench/int8-accuracy}, README "precision"): on the three seeds of the fold-1 LFW fold-out
 * model, int8 (least-squared-error ranges, 500 faces of people outside fold 1) is -0.03 / +0.13 / +0.18 points from fp32
 * on 6,000 pairs among fold 1's people (-0.17 / 0.00 / -0.17 at fp32's threshold), cosine to fp32 over all 13,233
 * aligned LFW images min 0.983-0.988, mean 0.9996 (the percentile rule before: min 0.970-0.975); on the demo models
 * -0.17 to +0.27 points over 3,000 pairs. Fold 1's 600 pairs alone cannot resolve 0.3 points (bf16 moves 1.5 on them).
 *
 * <p>Why NHWC and separate PReLU: oneDNN 2.5 runs a PReLU post-op and PReLU on blocked layouts only in reference
 * kernels; its NHWC PReLU, binary add and batch norm are jit kernels in f32, bf16 and s8. f32 3x3 stride-1
 * convolutions run oneDNN's Winograd kernel on its blocked layout with reorders around it (about 2x the direct kernel
 * on AVX-512); bf16 and int8 have no Winograd kernel in oneDNN 2.5 and run the direct (brgconv / jit_int8) ones on
 * NHWC. On AMX CPUs oneDNN picks AMX kernels for the same bf16/int8 primitives by itself (not verifiable here: the
 * development machine is a Zen 4 with AVX512-BF16 and VNNI, no AMX). Depends on {@code nn}
 * (models, precision, oneDNN loading), {@code image}, {@code data}, {@code align} (tests only); must not depend on
 * {@code train}, {@code eval}, {@code sweep}, {@code pipeline}, {@code onnx}, {@code notebook} or {@code cli}.
 */
package amface.inference;
