package amface.train;

/**
 * What one training step measured.
 *
 * @param step            steps done (1 after the first batch)
 * @param epoch           schedule epoch the step belonged to
 * @param loss            mean cross-entropy of the batch under the margin (weight decay not included)
 * @param accuracy        fraction of the batch whose highest cosine was the true class
 * @param learningRate    the rate used for this step
 * @param imagesPerSecond training throughput over the recent steps
 * @param loaderImagesPerSecond what the loader threads can build per second (capacity, all threads)
 * @param loaderWaitFraction share of the time the trainer waited for batches (0: the loader is never the bottleneck)
 * @param heapBytes       Java heap in use
 * @param offHeapBytes    ND4J off-heap memory in use
 * @param seconds         training time so far
 */
public record StepMetrics(long step, long epoch, double loss, double accuracy, double learningRate, double imagesPerSecond,
                          double loaderImagesPerSecond, double loaderWaitFraction, long heapBytes, long offHeapBytes,
                          double seconds) { }
