/**
 * amface on Apache Spark, a module of its own ({@code amface-spark}) so that the library, the CLI and the notebooks
 * do not carry Spark. The jobs run the library's single-machine code per image or per batch on the executors and
 * keep every output rule of the library on the driver: the output folder owned by one job ({@code FolderLock}),
 * files written atomically ({@code AtomicFile}), resumable, bad images listed, never fatal.
 *
 * <ul>
 *   <li>{@link amface.spark.DistributedAligner}: {@code amface align} over an input tree on any Hadoop file system
 *       ({@link amface.spark.InputTree}), one MTCNN detector per executor thread ({@link amface.spark.AlignSettings}),
 *       the same chips and landmarks CSV file for file.</li>
 *   <li>{@link amface.spark.DistributedEmbedder}: {@code amface embed --data} over such a tree, one model per executor
 *       thread, the CLI's rows as CSV and Parquet, nothing written unless every image was embedded.</li>
 *   <li>{@link amface.spark.SparkDataParallel}: the {@link amface.train.Trainer}'s steps on DL4J's training masters
 *       (gradient sharing, parameter averaging); run folder, checkpoints, metrics and model stay the trainer's; the
 *       executors read the training images themselves from the driver's batch plans.</li>
 *   <li>{@link amface.spark.GradientSharingPort}: each gradient-sharing node's UDP port (the driver's fixed, one
 *       free port per executor JVM), without which executors on one host bind the driver's port.</li>
 *   <li>{@link amface.spark.ExecutorThreads}: native (OpenMP) threads per task = the task's cores.</li>
 *   <li>{@link amface.spark.SparkMain}: the command line ({@code spark-submit --class amface.spark.SparkMain},
 *       {@code ./amface spark}).</li>
 * </ul>
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("align"));
 * DistributedAligner.builder(AlignSettings.mtcnn(Path.of("/shared/mtcnn")))
 *     .input("hdfs://nn/raw").output(Path.of("/shared/aligned")).build().run(sc);
 * }</pre>
 *
 * Depends on the library ({@code amface.*}) and Spark; nothing in the library depends on it.
 */
package amface.spark;
