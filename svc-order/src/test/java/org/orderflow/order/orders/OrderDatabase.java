package org.orderflow.order.orders;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.RealServers;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.outbox.Outbox;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.config.ServiceDefaults;

/** svc-order's database on the shared real PostgreSQL, migrated, and the order service working on it. */
final class OrderDatabase {
    private OrderDatabase() {
    }

    /** The migrated database, with the service's row mappers; closed with {@code lifecycle}. */
    static Jdbi open(Lifecycle lifecycle) {
        CommonConfig config = CommonConfig.fromEnv(Env.of(RealServers.shared().serviceEnvironment("order")), ServiceDefaults.of("svc-order", 0, "order"));
        Jdbi jdbi = Infrastructure.open(config, lifecycle, new SimpleMeterRegistry(), "db/migration/order").jdbi();
        OrderViews.registerMappers(jdbi);
        return jdbi;
    }

    /** The service as svc-order wires it, publishing through the outbox of the caller's transaction. */
    static OrderService service() {
        return service(new OrderRepository());
    }

    /** The service writing through {@code repository}. */
    static OrderService service(OrderRepository repository) {
        return new OrderService(repository, new OrderViews(), EventPublisher.create("svc-order", Outbox.create(), Clock.systemUTC()),
                Clock.systemUTC(), new OrderCounters(new SimpleMeterRegistry()));
    }
}
