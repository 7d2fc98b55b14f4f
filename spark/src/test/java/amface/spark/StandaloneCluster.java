package amface.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.apache.spark.SparkConf;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a Master and {@code workers} Workers, each its own JVM
 * started from the Spark jars with {@code java -cp} (no Spark distribution: a scratch SPARK_HOME whose
 * {@code jars/} links the test classpath's jars, which the Workers' executors run from). {@link #close} stops
 * every process and the executors they started, and a shutdown hook does it if the test JVM exits first.
 */
final class StandaloneCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-spark-cluster");
    private final int port;
    private final Path scratch;
    private final String directories;
    private final String opens;

    private StandaloneCluster(Path scratch, int workers, int workerMemoryMb) throws IOException, InterruptedException {
        this.scratch = scratch;
        Runtime.getRuntime().addShutdownHook(hook);
        Path home = scratch.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "scratch SPARK_HOME for amface's cluster test\n");
        List<String> dirs = new ArrayList<>();
        int i = 0;
        for (Path entry : classpath()) {
            if (Files.isDirectory(entry)) dirs.add(entry.toString());
            else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                Files.createSymbolicLink(jars.resolve(String.format("%04d-%s", i++, entry.getFileName())), entry);
            }
        }
        this.directories = String.join(java.io.File.pathSeparator, dirs);
        try (var in = StandaloneCluster.class.getResourceAsStream("/amface/spark/jvm-opens.txt")) {
            this.opens = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
        String cp = jars + "/*" + (dirs.isEmpty() ? "" : java.io.File.pathSeparator + directories);
        this.port = freePort();
        start(home, cp, scratch.resolve("master.log"), "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        awaitPort(port, 120);
        for (int w = 0; w < workers; w++) {
            start(home, cp, scratch.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemoryMb + "m", "--webui-port", String.valueOf(freePort()),
                "--work-dir", Files.createDirectories(scratch.resolve("work" + w)).toString(), masterUrl());
        }
    }

    /** Starts a Master and {@code workers} one-core Workers; waits until the Master listens. */
    static StandaloneCluster start(Path scratch, int workers, int workerMemoryMb) throws IOException, InterruptedException {
        return new StandaloneCluster(scratch, workers, workerMemoryMb);
    }

    String masterUrl() { return "spark://127.0.0.1:" + port; }

    /** A driver configuration for this cluster: one-core executors with the test classes and ND4J's memory caps. */
    SparkConf conf(String app, int executors, String executorMemory) {
        return new SparkConf().setMaster(masterUrl()).setAppName(app)
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.executor.cores", "1")
            .set("spark.cores.max", String.valueOf(executors))
            .set("spark.executor.memory", executorMemory)
            .set("spark.executor.extraClassPath", directories)
            .set("spark.executor.extraJavaOptions", opens + " -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=4G "
                + SparkDataParallel.EXECUTOR_OPTIONS)
            .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
            .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    }

    /**
     * Kills Worker {@code index} with SIGKILL, as a lost host would go, and returns its executors' processes (the
     * Worker's children, orphaned now; Spark's executor exits when its Worker is gone). They stay on the list of
     * processes {@link #close} stops.
     */
    List<ProcessHandle> killWorker(int index) throws InterruptedException {
        Process worker = processes.get(1 + index);
        List<ProcessHandle> executors = worker.descendants().toList();
        synchronized (this) {
            orphans.addAll(executors);
        }
        worker.destroyForcibly(); // SIGKILL on Unix
        worker.waitFor();
        return executors;
    }

    private void start(Path home, String cp, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        for (String o : opens.split("\\s+")) cmd.add(o);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_DIRS", home.resolveSibling("local").toString());
        processes.add(pb.start());
    }

    @Override
    public void close() {
        stopAll();
        keepLogs();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void stopAll() {
        // Executors are the Workers' children: stop them first, then the Workers and the Master.
        List<ProcessHandle> all = new ArrayList<>(orphans);
        for (Process p : processes) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception stillAlive) {
                h.destroyForcibly();
            }
        }
    }

    /** With {@code -Damface.spark.keepClusterLogs=DIR}: the Master's, Workers' and executors' logs copied there. */
    private void keepLogs() {
        String dir = System.getProperty("amface.spark.keepClusterLogs");
        if (dir == null) return;
        try (var files = Files.walk(scratch)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().matches("std(out|err)")).toList()) {
                Path to = Path.of(dir).resolve(scratch.relativize(f));
                Files.createDirectories(to.getParent());
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the cluster logs: " + e);
        }
    }

    /** The test JVM's classpath, expanded from Surefire's manifest-only booter jar when it is one. */
    static List<Path> classpath() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    String manifestPath = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null && p.getFileName().toString().startsWith("surefire")) {
                        for (String url : manifestPath.trim().split("\\s+")) out.add(Path.of(java.net.URI.create(url)));
                        continue;
                    }
                }
            }
            out.add(p);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new IOException("the Spark master did not listen on 127.0.0.1:" + port + " within " + seconds + " s");
    }

}
