/**
 * Face identification (1:N) evaluation: closed-set CMC, open-set TPIR at FPIR and the DET curve (NIST FRVT /
 * IJB-C definitions), the MegaFace distractor protocol with its list and feature-file readers, LFW-BLUFR (the
 * official configuration file or generated trials), IJB-style template pooling, and an LFW-based distractor
 * protocol that runs without any data beyond LFW ({@link amface.identification.CachedDistractors} keeps its painted
 * distractors' embeddings on disk, so a million-distractor run continues after a kill).
 * <pre>{@code
 * IdentificationScores s = IdentificationScores.fromMatrix(scores, probeLabels, galleryLabels); // or a ProbeRanker,
 *                                                        // or fromCandidates(...) with an index's top-k results
 * Cmc.of(s, 20).rate(1); OpenSetIdentification.tpirAtFpir(s, 1e-2, 1).tpir(); DetCurve.of(s, 1);
 * MegaFaceProtocol.of(probes, labels).withSizes(10, 100, 1000).run(distractors).summary();
 * }</pre>
 *
 * <h2>Conventions</h2>
 * Scores are similarities (larger = more alike), the dot product of L2-normalised embeddings. Ranks are
 * pessimistic: a non-mate tied with the mate counts as ranked before it. Thresholds accept scores strictly above
 * the order statistic the target rate allows ({@link amface.identification.OpenSetIdentification}), except in
 * {@link amface.identification.BlufrEvaluation}, which follows the BLUFR toolkit's own rule. Every metric is
 * cross-checked against an independent NumPy script, {@code reference/identification_reference.py}.
 * Nothing holds a probes x gallery matrix for large galleries: {@link amface.identification.ProbeRanker},
 * {@link amface.identification.ImpostorTail} and {@link amface.identification.TopScores} stream scores in blocks.
 *
 * <p>Layering: level 4 beside {@code eval}, whose {@code Embeddings} and extractor it uses; below it only
 * {@code nn}, {@code data}, {@code image}, {@code io}. It must not depend on {@code pipeline}, {@code sweep},
 * {@code notebook} or {@code cli}.
 */
package amface.identification;
