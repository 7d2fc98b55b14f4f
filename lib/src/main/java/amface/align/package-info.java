/**
 * Face detection and alignment: find a face and its five landmarks, then warp it onto the 112x96 (or 112x112)
 * template the networks are trained on, for one image or a whole dataset; plus the safe reader of numpy files
 * and pickles the MTCNN weights (and insightface's {@code .bin} files) come in.
 *
 * <ul>
 *   <li>{@link amface.align.FaceDetector}: {@link amface.align.MtcnnDetector} (facenet's {@code detect_face} on
 *       facenet's own weights, matched to the Caffe reference pipeline within 1 pixel and 1e-3 in score) and
 *       {@link amface.align.YuNetDetector} (OpenCV's, faster on large images, misses faces under ~10 pixels at
 *       320x320).</li>
 *   <li>{@link amface.align.FaceAligner}: detect, pick the face as the reference repository does
 *       ({@link amface.align.FaceSelection}), similarity-warp it onto {@link amface.align.AlignTemplate}; with no
 *       face, a centre crop ({@link amface.align.AlignedFace.Status#FALLBACK}).</li>
 *   <li>{@link amface.align.DatasetAligner}: a whole {@code Name/file} tree on several threads, resumable, with a
 *       {@link amface.align.LandmarksCsv} row per image; unreadable images are counted, never fatal. Its listing
 *       rule, resume plan and per-image step are public so that the Spark job ({@code amface.spark}) runs them
 *       rather than a copy.</li>
 *   <li>{@link amface.align.SafeUnpickler}, {@link amface.align.NpyFile}: pickles and {@code .npy} files read
 *       without executing anything: only globals on the caller's allow-list are built, so a weight file never
 *       runs code.</li>
 *   <li>{@link amface.align.FaceOverlay}: boxes, scores and landmarks drawn on a photo, for notebooks.</li>
 * </ul>
 *
 * <pre>{@code
 * FaceDetector mtcnn = MtcnnDetector.builder().weights(Path.of("../shared/data/mtcnn")).minSize(20).build();
 * FaceAligner aligner = new FaceAligner(mtcnn, AlignTemplate.SIZE_112x96);
 * AlignedFace a = aligner.align(ImageReader.read(photo));       // a.chip(): 96 wide, 112 high
 * }</pre>
 *
 * <h2>Why MTCNN is built this way</h2>
 * P-Net, R-Net and O-Net each list their layers once ({@code MtcnnNet}) and run as one chain of oneDNN primitives
 * (convolution, PReLU, max-pooling, dense; {@code amface.nn.layers.OneDnnChain}) on NHWC buffers, with plans kept
 * per input shape; elsewhere (GPU backend, {@code -Damface.nn.conv=nd4j}) the same list runs as ND4J ops, with the
 * same detections. {@code ./amface bench align} measured 96.7 and 81.3 images/s against facenet-pytorch's 36.5 and
 * 29.6 (its faster setup, same run, 2026-12-02, load 1.8-5.6); before the chains (per-layer ND4J ops, PReLU in
 * Java) it was 31.1 images/s. libnd4j's prelu op was 7x and a composition of four ND4J ops 5x slower than the
 * in-place Java PReLU on P-Net's first layer. Ops are small, so a dataset is aligned with one image per core and
 * one OpenMP thread per op ({@link amface.align.OpThreads}): several multi-threaded ops at once oversubscribe the
 * cores (up to 10x slower on a busy 2-core machine; 26 against 30 images/s when pool threads forked two each).
 * facenet's weights were trained on transposed images; kernels are transposed once at load time, so images run
 * in their natural orientation.
 *
 * <p>Layering: {@code align} may use {@code io}, {@code image} and {@code data} below it, and {@code nn.layers} on its
 * own level (for {@code OneDnnChain}). It must not depend on {@code head}, {@code train}, {@code eval},
 * {@code sweep}, {@code pipeline}, {@code notebook} or {@code cli} (see {@code lib/README.md};
 * {@code amface.LayeringTest} checks it): the one photo-to-face-to-embedding path is built above it.
 */
package amface.align;
