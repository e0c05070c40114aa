package org.orderflow.service.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP server's address and limits: what a client can hold of it. Each limit is explicit, so that no request can
 * take more of a service than it was sized for.
 *
 * <pre>
 *   HTTP_HOST                 the address to bind (0.0.0.0, every interface; 127.0.0.1 for this machine alone)
 *   HTTP_PORT                 port of the service's API (and of /health, /ready and /metrics unless MANAGEMENT_PORT)
 *   MANAGEMENT_PORT           a port of their own for /health, /ready and /metrics (unset: they are on HTTP_PORT), so
 *                             that probes and scrapes stay inside the cluster while the API is exposed
 *   HTTP_MAX_CONNECTIONS      open HTTP connections at most (500); beyond it new ones wait in the kernel's backlog
 *   HTTP_MAX_BODY_BYTES       largest request body (1048576): a larger one is refused with 413
 *   HTTP_MAX_HEADER_BYTES     largest request line and headers together (8192): larger is refused with 431
 *   HTTP_IDLE_TIMEOUT         longest silence of a client in the middle of a request or between requests (30s): a
 *                             client that sends its request a byte at a time cannot hold a connection for ever
 * </pre>
 */
public record HttpSettings(String host, int port, Optional<Integer> managementPort, int maxConnections, int maxBodyBytes,
                           int maxHeaderBytes, Duration idleTimeout) {
    private static final int SMALLEST_HEADER_LIMIT = 1024;

    static HttpSettings fromEnv(Env env, int defaultPort) {
        String host = env.string("HTTP_HOST", "0.0.0.0").trim();
        if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,255}")) {
            throw new ConfigException("HTTP_HOST must be a host name or an IP address, got '" + host + "'");
        }
        int maxHeaderBytes = env.positiveInt("HTTP_MAX_HEADER_BYTES", 8192);
        if (maxHeaderBytes < SMALLEST_HEADER_LIMIT) {
            throw new ConfigException("HTTP_MAX_HEADER_BYTES must be at least " + SMALLEST_HEADER_LIMIT + " (a token alone takes ~1 KB), got " + maxHeaderBytes);
        }
        Duration idleTimeout = env.duration("HTTP_IDLE_TIMEOUT", Duration.ofSeconds(30));
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException("HTTP_IDLE_TIMEOUT must be at least 1s, got " + idleTimeout.toMillis() + "ms");
        }
        int port = env.port("HTTP_PORT", defaultPort);
        Optional<Integer> managementPort = env.optional("MANAGEMENT_PORT").map(value -> env.port("MANAGEMENT_PORT", 0));
        if (managementPort.isPresent() && managementPort.get() == port && port != 0) {
            throw new ConfigException("MANAGEMENT_PORT must differ from HTTP_PORT (" + port + "), or be left unset to serve both on one port");
        }
        return new HttpSettings(host, port, managementPort, env.positiveInt("HTTP_MAX_CONNECTIONS", 500),
                env.positiveInt("HTTP_MAX_BODY_BYTES", 1024 * 1024), maxHeaderBytes, idleTimeout);
    }
}
