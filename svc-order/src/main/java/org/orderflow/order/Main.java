package org.orderflow.order;

import java.time.Clock;
import java.util.Map;
import org.orderflow.order.orders.Orders;
import org.orderflow.service.RunningService;
import org.orderflow.service.ServiceMain;
import org.orderflow.service.ServiceStart;
import org.orderflow.service.config.Env;

/** svc-order: takes orders over HTTP and follows each order's status through the pipeline. The only place that wires. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServiceMain.run("svc-order", () -> start(System.getenv(), Clock.systemUTC()));
    }

    /** Starts the service configured by {@code environment}, as {@code main} does with the process's environment. */
    public static RunningService start(Map<String, String> environment, Clock clock) {
        return start(Config.fromEnv(Env.of(environment)), clock);
    }

    /** Starts everything in dependency order ({@link ServiceStart}); close() stops it in reverse. */
    static RunningService start(Config config, Clock clock) {
        return ServiceStart.start(config.common(), "db/migration/order", clock, wiring -> new Orders(wiring.jdbi(), wiring.publisher(), wiring.clock(), config.orderWriters(), config.orderQueueLimit(), wiring.metrics(), wiring.lifecycle(), config.liveStreams()));
    }
}
