package amface.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A local Spark master for tests: {@code local[2]} on 127.0.0.1, no web UI. One context per JVM at a time. */
final class LocalSpark {
    private LocalSpark() { }

    static JavaSparkContext start(String name) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(name)
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.sql.shuffle.partitions", "2");
        return new JavaSparkContext(conf);
    }
}
