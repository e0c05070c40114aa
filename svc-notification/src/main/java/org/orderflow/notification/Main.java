package org.orderflow.notification;

import io.javalin.Javalin;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.RunningService;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.http.HttpApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** svc-notification: Tells the customer what happened to their order. The only place that wires. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        try {
            RunningService service = start(Config.fromEnv(System.getenv()));
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
            log.info("svc-notification ready on port {}", service.port());
        } catch (ConfigException e) {
            log.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            log.error("svc-notification failed to start", e);
            System.exit(1);
        }
    }

    /** Starts everything in dependency order; what was started is stopped in reverse order by close(). */
    static RunningService start(Config config) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            Infrastructure infrastructure = Infrastructure.open(config.common(), lifecycle, "db/migration/notification", Outbox.MIGRATIONS);
            lifecycle.started("outbox relay", OutboxRelay.create(infrastructure.dataSource(),
                    RelayConfig.defaults(config.common().kafkaBootstrapServers(), config.common().serviceName())).start());
            Javalin http = HttpApi.create(config.common().serviceName(), infrastructure.readinessChecks(), routes -> {
            });
            return RunningService.serve(http, config.common().httpPort(), lifecycle);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }
}
