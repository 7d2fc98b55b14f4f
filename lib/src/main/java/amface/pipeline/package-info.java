/**
 * The one photo -&gt; face -&gt; embedding path: {@link amface.pipeline.FacePipeline} reads a photo, finds the faces
 * (MTCNN), aligns the largest to the model's input size, and embeds it with the model's own pixel normalisation and
 * flip mode ({@link amface.nn.ModelMetadata}); {@link amface.pipeline.FaceEmbedding} is the result,
 * {@link amface.pipeline.PhotoException} names a photo that cannot be used. {@code amface verify} and
 * {@code amface calibrate} use it; identification and Spark jobs are meant to.
 * <pre>{@code
 * FacePipeline p = FacePipeline.of(FaceModel.load(model), MtcnnDetector.builder().weights(dir).build());
 * double s = p.embed(Path.of("a.jpg")).similarity(p.embed(Path.of("b.jpg")));
 * boolean same = s > model.metadata().threshold().similarity();
 * }</pre>
 * Depends on {@code align}, {@code nn}, {@code eval}, {@code image}; must not depend on {@code cli}, {@code notebook},
 * {@code train} or {@code sweep}.
 */
package amface.pipeline;
