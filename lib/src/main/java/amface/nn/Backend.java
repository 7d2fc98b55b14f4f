package amface.nn;

import java.util.Map;
import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Which ND4J backend and device amface runs on: one call for the CLI and the notebooks.
 *
 * <p>On the CPU the build information tells whether libnd4j was compiled with oneDNN and for which
 * instruction set; on CUDA it names the GPU and whether cuDNN is present.
 */
public record Backend(String backend, String device, int cores, boolean onednn, boolean cudnn,
                      String simd, long deviceMemoryBytes, String nd4jClassifier) {

    /** Initialises ND4J if needed and describes what it runs on. */
    public static Backend describe() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getOrDefault("backend", "unknown"));
        String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        boolean onednn = build.contains("HAVE_ONEDNN");
        boolean cudnn = build.contains("HAVE_CUDNN");
        int cores = Integer.parseInt(String.valueOf(env.getOrDefault("cores", Runtime.getRuntime().availableProcessors())));
        String device;
        long memory;
        if ("CUDA".equalsIgnoreCase(backend)) {
            device = cudaDeviceName(env);
            memory = cudaDeviceMemory(env);
        } else {
            device = cpuModel() + " (" + cores + " cores)";
            memory = Runtime.getRuntime().maxMemory();
        }
        String classifier = classifierOnClasspath();
        String simd = classifier.contains("avx512") ? "AVX512" : classifier.contains("avx2") ? "AVX2" : "";
        return new Backend(backend, device, cores, onednn, cudnn, simd, memory, classifier);
    }

    /** A one-line summary such as {@code CPU: Intel Xeon (2 cores), oneDNN, AVX512}. */
    public String summary() {
        StringBuilder s = new StringBuilder(backend).append(": ").append(device);
        if (onednn) s.append(", oneDNN");
        if (cudnn) s.append(", cuDNN");
        if (!simd.isEmpty()) s.append(", ").append(simd);
        return s.toString();
    }

    public boolean isGpu() {
        return "CUDA".equalsIgnoreCase(backend);
    }

    @SuppressWarnings("unchecked")
    private static String cudaDeviceName(Properties env) {
        Object list = env.get("cuda.devicesInformation");
        if (list instanceof java.util.List<?> devices && !devices.isEmpty() && devices.get(0) instanceof Map<?, ?> first) {
            return String.valueOf(((Map<String, Object>) first).getOrDefault("cuda.deviceName", "CUDA device"))
                + (devices.size() > 1 ? " (+" + (devices.size() - 1) + " more)" : "");
        }
        return "CUDA device";
    }

    @SuppressWarnings("unchecked")
    private static long cudaDeviceMemory(Properties env) {
        Object list = env.get("cuda.devicesInformation");
        if (list instanceof java.util.List<?> devices && !devices.isEmpty() && devices.get(0) instanceof Map<?, ?> first) {
            Object total = ((Map<String, Object>) first).get("cuda.totalMemory");
            if (total instanceof Number n) return n.longValue();
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The nd4j native jar's classifier, read from the classpath (tells avx2 from avx512 builds). */
    private static String classifierOnClasspath() {
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            String name = java.nio.file.Path.of(entry).getFileName() == null ? "" : java.nio.file.Path.of(entry).getFileName().toString();
            if (name.matches("nd4j-(native|cuda-[0-9.]+)-1\\.0\\.0-M2\\.1-.+\\.jar")) {
                return name.replaceFirst("nd4j-(native|cuda-[0-9.]+)-1\\.0\\.0-M2\\.1-", "").replace(".jar", "");
            }
        }
        return "";
    }
}
