package org.orderflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
        return spaced(1, 1);
    }

    /**
     * The first of {@code count} free ports {@code step} apart (a cluster's brokers, a service's instances), chosen
     * as {@link #next()} chooses one.
     */
    public static int spaced(int count, int step) {
        int high = ephemeralPortRangeStart() - 1 - (count - 1) * step;
        for (int attempt = 0; attempt < 500; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST_TEST_PORT, high + 1);
            List<Integer> ports = IntStream.range(0, count).mapToObj(i -> first + i * step).toList();
            if (ports.stream().allMatch(port -> Processes.isPortFree(port) && !HANDED_OUT_PORTS.contains(port))
                    && ports.stream().allMatch(HANDED_OUT_PORTS::add)) {
                return first;
            }
        }
        throw new StackException("No " + count + " free ports " + step + " apart between " + LOWEST_TEST_PORT + " and " + high);
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
