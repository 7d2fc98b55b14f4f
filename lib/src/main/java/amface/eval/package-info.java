/**
 * Face verification evaluation on embeddings from any model: the LFW 10-fold protocol of facenet's
 * {@code lfw.evaluate} (accuracy with per-fold thresholds, fold-averaged ROC, VAL@FAR, plus AUC and EER of the
 * exact ROC), embeddings CSV files, test-time flip, insightface {@code .bin} files, and tables, charts and
 * galleries of the results.
 * <pre>{@code
 * List<LfwPairs.Pair> pairs = LfwPairs.read(Path.of("pairs.txt")).pairs();
 * Embeddings emb = EmbeddingExtractor.of(model).withFlip(FlipMode.CONCAT).withProgress(progress)
 *     .extract(lfwRoot, EmbeddingExtractor.imagesOf(pairs));          // or EmbeddingsCsv.read(csv)
 * VerificationPairs vp = VerificationPairs.match(pairs, emb, false, "model");
 * VerificationResult r = VerificationEvaluator.standard().evaluate(vp);  // .withMetric(Metric.COSINE), .withFolds(k)
 * r.summary(); r.toJson(); r.writeJson(out);
 * VerificationTables.folds(r); VerificationCharts.roc(Map.of("model", r), FprAxis.LOG);
 * VerificationCharts.distanceHistogram(r, 50); VerificationCharts.foldAccuracy(r);
 * HardPairsGallery.render("false accepts", HardPairsGallery.falseAccepts(vp, r, 8), lfwRoot, 4, 96);
 * }</pre>
 *
 * <h2>Why the protocol is fixed this way</h2>
 * The numbers must be comparable with published LFW results, so the evaluator follows facenet's
 * {@code lfw.evaluate} to the letter rather than choosing better-looking variants: folds in pairs-file order
 * ({@link amface.eval.KFold}, unshuffled), thresholds from the grid 0, 0.01, ..., 3.99 chosen on the other nine
 * folds (ties: the smallest; "same" when distance &lt; threshold), VAL on a 0.001 grid, population standard
 * deviation for the "+-" ({@link amface.eval.PopulationStats}). AUC and EER come from the exact ROC over all
 * pairs, which no threshold grid can bias. Every one of these is cross-checked against an independent NumPy /
 * scikit-learn script ({@code reference/verification_reference.py}), including distances placed exactly on the
 * grids. Flip modes {@code SUM} and {@code MEAN} give the same distances after L2 normalisation; both stay because
 * insightface sums and the reference AM-softmax repository averages, and the written CSVs differ.
 *
 * <p>Layering: {@code eval} may use {@code nn} (an {@code Embedder}), {@code align} (the safe unpickler),
 * {@code data}, {@code image} and {@code io} below it; it needs nothing from {@code train}, which shares its level.
 * It must not depend on {@code sweep}, {@code pipeline}, {@code onnx}, {@code notebook} or {@code cli} (see
 * {@code lib/README.md}; {@code amface.LayeringTest} checks it): a notebook passes its live bar in as a
 * {@code Progress}.
 */
package amface.eval;
