package org.orderflow.service;

import java.util.function.Supplier;
import org.orderflow.service.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every service's {@code main} does around its wiring: start, stop on SIGTERM, exit non-zero on failure. */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    /** Starts the service; exit code 2 for invalid configuration, 1 for any other start-up failure. */
    public static void run(String name, Supplier<RunningService> start) {
        try {
            RunningService service = start.get();
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
            log.info("{} ready on port {}", name, service.port());
        } catch (ConfigException e) {
            log.error("Invalid configuration of {}: {}", name, e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            log.error("{} failed to start", name, e);
            System.exit(1);
        }
    }
}
