/**
 * ONNX export of amface face models, for deployment outside amface (ONNX Runtime, OpenCV DNN, ...).
 *
 * <ul>
 *   <li>{@link amface.onnx.OnnxExport}: a {@code FaceModel}'s embedding network as an ONNX model (opset 13, IR 7),
 *       NCHW float input {@code input} [N, 3, H, W] with a dynamic batch, output {@code embedding} [N, E], batch
 *       norm folded for inference, float32 whatever the model's data type; written atomically.</li>
 *   <li>{@link amface.onnx.OnnxMetadata}: the preprocessing a caller must apply (input size, channel order, mean
 *       and scale, alignment template, embedding size, recommended flip) and the amface version, as
 *       {@code metadata_props}.</li>
 *   <li>{@link amface.onnx.OnnxCheck} and {@link amface.onnx.OpenCvDnnRunner}: a written file run in OpenCV DNN
 *       (already on the classpath) against the model, input built from the file's own metadata.</li>
 *   <li>{@link amface.onnx.OnnxGraphWriter}: the node writers (Conv, PRelu, BatchNormalization, Add, Flatten,
 *       Gemm, Identity) on nd4j-api's generated {@code onnx.Onnx} protobuf classes, independent of DL4J, for
 *       other exporters and for an importer's tests; {@code Dl4jGraphExporter} walks a DL4J graph onto them and
 *       {@code ChannelAffine} holds the batch-norm folds and why each is exact.</li>
 *   <li>{@link amface.onnx.IResNetOnnxImport}: the other direction for insightface's arcface_torch IResNets: an ONNX
 *       file from its {@code torch2onnx.py} (opset 11+, Conv with fused BN bias, unfused pre-activation
 *       BatchNormalization, PRelu, Add, Flatten, Gemm or MatMul + Add, final BatchNormalization) matched by data
 *       flow onto {@code nn.IResNet}, with insightface's normalisation in the model's metadata; anything else is an
 *       {@link amface.onnx.OnnxImportException} naming the first node that does not fit. {@code NhwcFlatten}
 *       permutes the FC weights between ONNX's and amface's flatten order both ways.</li>
 * </ul>
 *
 * <pre>{@code
 * OnnxExport onnx = OnnxExport.of(FaceModel.load(Path.of("runs/x/model.zip")));
 * long bytes = onnx.writeTo(Path.of("model.onnx"));
 * OnnxCheck.run(model, Path.of("model.onnx"), alignedFaces, onnx.metadata()).maxAbsDiff();  // ~1e-6
 * FaceModel r50 = IResNetOnnxImport.read(Path.of("w600k_r50.onnx"), Progress.NONE);
 * }</pre>
 *
 * <p>Verified, not assumed: the tests run every named backbone (ResFace20/36/64, L-ResNet50E-IR at 112x96 and
 * 112x112, narrow) on MTCNN-aligned LFW faces in ONNX Runtime (test scope) and OpenCV DNN and compare with
 * {@code FaceModel.embed} to 1e-4; the importer's tests run graphs written by an independent PyTorch script
 * ({@code reference/iresnet_onnx.py}) in ONNX Runtime against the imported model. No samediff-import-onnx: its Gemm
 * import is wrong, and it would not map onto amface's layers.
 * Depends on {@code nn}, {@code align} (templates), {@code eval} (flip modes), {@code data} (atomic files),
 * {@code image}; must not depend on {@code train}, {@code sweep}, {@code pipeline}, {@code notebook} or
 * {@code cli}.
 */
package amface.onnx;
