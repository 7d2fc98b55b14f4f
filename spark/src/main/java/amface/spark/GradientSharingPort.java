package amface.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;

import org.apache.spark.SparkEnv;
import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/**
 * The UDP port of each gradient-sharing node: the driver's fixed port on the driver, a free port of its own in every
 * executor JVM. DL4J's {@code VoidConfiguration.unicastPort(p)} makes every node, driver and executors alike, bind
 * {@code p} on its own address; on one host (or with several executors per host) all executors then bind the
 * driver's port, and the updates they publish to the driver never arrive (Aeron's receive endpoint is taken). DL4J
 * asks a {@link PortSupplier} on each node for that node's port and reads the driver's port from the configuration it
 * broadcasts, so this supplier keeps the controller's port on the driver and picks a distinct one elsewhere.
 *
 * <pre>{@code
 * VoidConfiguration v = VoidConfiguration.builder().portSupplier(new GradientSharingPort(40123)).build();
 * }</pre>
 */
public final class GradientSharingPort implements PortSupplier {
    private final int driverPort;

    // One port per executor JVM: DL4J asks for it more than once (transport, logs).
    private static volatile int executorPort;

    /** {@code driverPort} for the driver; each executor JVM picks a free UDP port. */
    public GradientSharingPort(int driverPort) {
        if (driverPort < 1 || driverPort > 65535) throw new IllegalArgumentException("UDP port must be in 1..65535, got " + driverPort);
        this.driverPort = driverPort;
    }

    @Override
    public int getPort() {
        SparkEnv env = SparkEnv.get();
        if (env == null || "driver".equals(env.executorId())) return driverPort;
        synchronized (GradientSharingPort.class) {
            if (executorPort == 0) executorPort = freeUdpPort();
            return executorPort;
        }
    }

    /** A UDP port free on every address of this host now (the OS's pick; DL4J binds it a moment later). */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port for gradient sharing: " + e.getMessage(), e);
        }
    }
}
