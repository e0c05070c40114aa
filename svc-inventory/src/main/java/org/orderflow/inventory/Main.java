package org.orderflow.inventory;

import java.time.Clock;
import java.util.Map;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.inventory.stock.Stock;
import org.orderflow.service.EventRuntime;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.RunningService;
import org.orderflow.service.ServiceMain;
import org.orderflow.service.http.HttpApi;

/** svc-inventory: reserves stock for received orders and takes it off the shelves when they ship. The only place that wires. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServiceMain.run("svc-inventory", () -> start(System.getenv(), Clock.systemUTC()));
    }

    /** Starts the service configured by {@code environment}, as {@code main} does with the process's environment. */
    public static RunningService start(Map<String, String> environment, Clock clock) {
        return start(Config.fromEnv(environment), clock);
    }

    /** Starts everything in dependency order; close() stops it in reverse: HTTP, consumer, relay, pool. */
    static RunningService start(Config config, Clock clock) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            Infrastructure infrastructure = Infrastructure.open(config.common(), lifecycle, "db/migration/inventory");
            EventPublisher publisher = EventRuntime.publisher(config.common(), clock);
            Stock stock = new Stock(infrastructure.jdbi(), clock);
            EventRuntime events = EventRuntime.start(config.common(), infrastructure, lifecycle, clock, publisher, Stock.TOPICS,
                    Stock.FOLLOW_UP_TOPICS, stock.events());
            return RunningService.serve(HttpApi.create(config.common(), events.readinessChecks(infrastructure), stock::routes),
                    config.common().httpPort(), lifecycle);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }
}
