/**
 * ONNX export of amface face models, for deployment outside amface (ONNX Runtime, OpenCV DNN, ...).
 *
 * <ul>
 *   <li>{@link amface.onnx.OnnxExport}: a {@code FaceModel}'s embedding network as an ONNX model (opset 13, IR 7),
 *       NCHW float input {@code input} [N, 3, H, W] with a dynamic batch, output {@code embedding} [N, E], batch
 *       norm folded for inference; written atomically.</li>
 *   <li>{@link amface.onnx.OnnxMetadata}: the preprocessing a caller must apply (input size, channel order, mean
 *       and scale, alignment template, embedding size, recommended flip) as {@code metadata_props}.</li>
 *   <li>{@link amface.onnx.OnnxGraphWriter}: the node writers (Conv, PRelu, BatchNormalization, Add, Flatten,
 *       Gemm, Identity) on nd4j-api's generated {@code onnx.Onnx} protobuf classes, independent of DL4J, for
 *       other exporters and for an importer's tests; {@code Dl4jGraphExporter} walks a DL4J graph onto them and
 *       {@code ChannelAffine} holds the batch-norm folds and why each is exact.</li>
 * </ul>
 *
 * <pre>{@code
 * OnnxExport onnx = OnnxExport.of(FaceModel.load(Path.of("runs/x/model.zip")));
 * long bytes = onnx.writeTo(Path.of("model.onnx"));
 * onnx.metadata();   // what amface export prints
 * }</pre>
 *
 * <p>Verified, not assumed: the tests run every exported backbone family in ONNX Runtime (and one in OpenCV DNN)
 * and compare with {@code FaceModel.embed}. Depends on {@code nn}, {@code align} (templates), {@code eval}
 * (flip modes), {@code data} (atomic files); must not depend on {@code train}, {@code sweep}, {@code pipeline},
 * {@code notebook} or {@code cli}.
 */
package amface.onnx;
