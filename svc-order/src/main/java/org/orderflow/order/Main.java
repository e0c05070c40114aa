package org.orderflow.order;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.messaging.dlq.DeadLetterQueue;
import org.orderflow.order.ops.Operations;
import org.orderflow.order.orders.Orders;
import org.orderflow.order.pages.Pages;
import org.orderflow.order.peers.Peers;
import org.orderflow.outbox.KafkaClientProperties;
import org.orderflow.service.RunningService;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.ServiceMain;
import org.orderflow.service.ServiceStart;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.http.ApiRoutes;

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
        Peers peers = new Peers(config.serviceUrls());
        return ServiceStart.start(config.common(), "db/migration/order", clock, wiring -> new Features(
                new Orders(wiring, config.orderWriters(), config.orderQueueLimit(), config.liveStreams()),
                new Operations(wiring.jdbi(), peers, () -> deadLetterQueue(config.common()), wiring.clock()),
                new Pages(peers)));
    }

    private static DeadLetterQueue deadLetterQueue(CommonConfig config) {
        KafkaClientProperties properties = config.kafkaProperties();
        Map<String, Object> cluster = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        return new DeadLetterQueue(properties.forConsumer(cluster), properties.forProducer(cluster));
    }

    /** svc-order's parts: the orders consume its topics; the operations routes and the pages add routes. */
    private record Features(Orders orders, Operations operations, Pages pages) implements ServiceFeature {
        @Override
        public List<String> topics() {
            return orders.topics();
        }

        @Override
        public EventRouter events() {
            return orders.events();
        }

        @Override
        public void routes(ApiRoutes routes) {
            orders.routes(routes);
            operations.register(routes);
            pages.register(routes);
        }
    }
}
