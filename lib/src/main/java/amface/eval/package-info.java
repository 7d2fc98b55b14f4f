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
 */
package amface.eval;
