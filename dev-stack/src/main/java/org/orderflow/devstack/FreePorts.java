package org.orderflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports for the servers that tests and benchmarks start on their own. */
public final class FreePorts {
    /** Ports are picked at random from here up to the ephemeral range; none is handed out twice by this process. */
    private static final int LOWEST_TEST_PORT = 20000;
    private static final Set<Integer> HANDED_OUT_PORTS = ConcurrentHashMap.newKeySet();

    /**
     * A free port for a server started later, below the kernel's ephemeral range. A port the kernel hands out for
     * {@code bind(0)} is an ephemeral one: between this call and the server's bind, any outgoing connection on the
     * machine (a Kafka client, a JDBC pool) may take it as its source port, and the server fails with "Address already
     * in use" (seen in CI). Ports below the range are never taken that way.
     */
    public static int next() {
        int high = ephemeralPortRangeStart() - 1;
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_TEST_PORT, high + 1);
            if (Processes.isPortFree(port) && HANDED_OUT_PORTS.add(port)) {
                return port;
            }
        }
        throw new StackException("No free port between " + LOWEST_TEST_PORT + " and " + high);
    }

    private static int ephemeralPortRangeStart() {
        try {
            int start = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
            return Math.max(start, LOWEST_TEST_PORT + 1000);
        } catch (IOException | RuntimeException e) {
            return 32768; // Linux's default
        }
    }

    private FreePorts() {
    }
}
