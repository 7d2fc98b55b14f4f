/**
 * Identification search (1:N): a face gallery on an embedded vector index. {@link amface.gallery.Gallery} holds
 * L2-normalised embeddings with identities and source images and the fingerprint of the model that made them
 * (probes of another model are refused), optionally one pooled template per identity (the mean of its normalised
 * features); {@link amface.gallery.GalleryFolder} stores it as an index folder written atomically by generations
 * (a kill leaves the old index whole, damage is a clear error); two {@link amface.gallery.SearchEngine}s answer
 * top-k queries: {@link amface.gallery.ExactSearch} (blocked sgemm over the gallery, ND4J or plain Java, or chosen
 * explicitly a oneDNN matmul on bf16 vectors with f32 scores where the CPU has AVX512-BF16 or AMX) and
 * {@link amface.gallery.HnswIndex} (Lucene's HNSW graph, persisted). {@link amface.gallery.SearchBenchmark}
 * measures recall, build time, latency and exact-search GFLOP/s (fp32 and bf16) against the machine's sgemm rate.
 * {@link amface.gallery.EmbeddingChunks} makes a build's embedding resumable: finished chunks are kept (atomically,
 * keyed by model and image listing) in the index folder until the index is committed.
 * <pre>{@code
 * Gallery g = Gallery.fromEmbeddings(EmbeddingsCsv.read(csv), model.fingerprint(), "mean", false);
 * GalleryFolder.writer(dir).engine(Engine.AUTO).progress(progress).write(g);
 * try (SearchEngine s = GalleryFolder.read(dir).engine(Engine.AUTO)) { s.search(probe, 5); }
 * try (ExactSearch s = ExactSearch.of(g).withKernel(ExactSearch.Kernel.BF16)) { s.search(probe, 5); }  // AVX512-BF16
 * }</pre>
 *
 * <h2>Moving a gallery to OpenSearch or Elasticsearch</h2>
 * Both run the same Lucene HNSW graph at cluster scale. Index each gallery entry as a document with the entry's
 * normalised vector (the {@code vectors-G.f32} rows, little-endian float32, in {@code entries-G.tsv} order) and its
 * identity and source. Use {@code dot_product} on the normalised vectors (the cluster then scores
 * {@code (1 + cosine) / 2}, as here) or {@code cosine} (it normalises itself). OpenSearch (k-NN plugin, Lucene engine):
 * <pre>
 * PUT gallery {"settings": {"index": {"knn": true}},
 *   "mappings": {"properties": {
 *     "embedding": {"type": "knn_vector", "dimension": 512,
 *       "method": {"name": "hnsw", "engine": "lucene", "space_type": "innerproduct",
 *                  "parameters": {"m": 16, "ef_construction": 100}}},
 *     "identity": {"type": "keyword"}, "source": {"type": "keyword"}, "model_fingerprint": {"type": "keyword"}}}}
 * query: {"size": 5, "query": {"knn": {"embedding": {"vector": [...512 floats...], "k": 100}}}}
 * </pre>
 * Elasticsearch 8:
 * <pre>
 * PUT gallery {"mappings": {"properties": {
 *     "embedding": {"type": "dense_vector", "dims": 512, "index": true, "similarity": "dot_product",
 *                   "index_options": {"type": "hnsw", "m": 16, "ef_construction": 100}},
 *     "identity": {"type": "keyword"}, "source": {"type": "keyword"}, "model_fingerprint": {"type": "keyword"}}}}
 * query: {"knn": {"field": "embedding", "query_vector": [...], "k": 5, "num_candidates": 100}}
 * </pre>
 * Keep the model fingerprint with the documents (or in the index name) and embed probes with the same model and
 * flip mode; {@code dims} is the gallery's dimension (512 for the paper's networks, twice that with flip concat).
 * Elasticsearch's {@code dot_product} refuses vectors that are not unit length: send the stored (normalised) ones.
 *
 * <p>Depends on {@code eval} (embeddings CSV), {@code nn} (the model fingerprint), {@code nn.layers} (oneDNN and
 * the CPU's bf16 support), {@code data} (progress), {@code io}, oneDNN (JavaCPP's dnnl) and Lucene; must not depend on {@code pipeline}, {@code cli} or {@code notebook} (the photo path
 * reaches it through the CLI and notebooks).
 */
package amface.gallery;
