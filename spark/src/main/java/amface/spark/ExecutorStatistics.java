package amface.spark;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.parameterserver.pw.SharedTrainingWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;

import scala.Tuple2;

/**
 * Batch-norm running statistics from the executors' models to the driver's, for gradient sharing. amface's
 * batch-norm layers update their running mean and variance in the forward pass (their gradient is zero), so the
 * threshold-encoded updates that gradient sharing sends carry none of them: without this the driver's model keeps
 * its initial statistics (mean 0, variance 1) while its weights train (measured on the demo recipe: its loss in
 * inference mode rising from step 300 on to 10; 6-7.7 with the statistics pulled). After
 * each round every executor returns the statistics of the model it trains (DL4J keeps it in
 * {@code SharedTrainingWrapper}), and the driver takes their mean.
 *
 * <pre>{@code
 * ExecutorStatistics.pull(sc, graph, 2); // after a gradient-sharing round
 * }</pre>
 */
final class ExecutorStatistics {
    private ExecutorStatistics() { }

    /** Parameters that are running statistics: every layer's {@code mean} and {@code var}. */
    static boolean isStatistic(String key) {
        return key.endsWith("_mean") || key.endsWith("_var");
    }

    /**
     * Sets the driver's running statistics to the mean over the executors' models ({@code tasks} tasks, one result per
     * executor kept); returns how many executors answered (0 leaves the graph as it was).
     */
    static int pull(JavaSparkContext sc, ComputationGraph graph, int tasks) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < tasks; i++) slots.add(i);
        List<Tuple2<String, Map<String, float[]>>> answers = sc.parallelize(slots, tasks)
            .map(i -> new Tuple2<>(SparkEnv.get().executorId(), local())).collect();
        Map<String, Map<String, float[]>> byExecutor = new HashMap<>();
        for (Tuple2<String, Map<String, float[]>> a : answers) if (a._2() != null) byExecutor.putIfAbsent(a._1(), a._2());
        if (byExecutor.isEmpty()) return 0;
        for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) {
            if (!isStatistic(p.getKey())) continue;
            float[] sum = null;
            for (Map<String, float[]> s : byExecutor.values()) {
                float[] v = s.get(p.getKey());
                if (v == null) continue;
                if (sum == null) sum = new float[v.length];
                for (int i = 0; i < v.length; i++) sum[i] += v[i] / byExecutor.size();
            }
            if (sum != null) p.getValue().assign(org.nd4j.linalg.factory.Nd4j.create(sum).reshape(p.getValue().shape()).castTo(p.getValue().dataType()));
        }
        return byExecutor.size();
    }

    /** This executor's training model's statistics, or null when it trains none. */
    static Map<String, float[]> local() throws ReflectiveOperationException {
        // DL4J keeps the model an executor trains in a private singleton; read-only access to its statistics.
        Field instance = SharedTrainingWrapper.class.getDeclaredField("INSTANCE");
        instance.setAccessible(true);
        Field original = SharedTrainingWrapper.class.getDeclaredField("originalModel");
        original.setAccessible(true);
        Model m = (Model) original.get(instance.get(null));
        if (!(m instanceof ComputationGraph g)) return null;
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> p : g.paramTable().entrySet()) {
            if (isStatistic(p.getKey())) out.put(p.getKey(), p.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup().data().asFloat());
        }
        return out;
    }
}
