package org.orderflow.order;

import java.time.Duration;
import org.orderflow.order.peers.ServiceUrls;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/**
 * svc-order's settings, from environment variables; the defaults match `make up`. Its consumer keeps the orders'
 * statuses, which no step of the pipeline waits for but customers following an order live do (GET /orders/{id}/events):
 * it lets the broker gather records for {@link #LIVE_FETCH_WAIT}, so that a status reaches them within tens of
 * milliseconds of the step's commit while a transaction still moves a few events at 100 orders/s. Measured at 100/s
 * (docs/performance.md): SHIPPED reached a follower 16 ms after svc-shipper's decision at p50, 36 ms at p99, where
 * {@link CommonConfig#GATHERING_FETCH_WAIT} gave 64 to 68 ms and 127 ms, for 16 points of a core more across the stack
 * (0 ms: 9 and 35 ms, 35 points more). CONSUMER_FETCH_WAIT=100ms gives that CPU back where nobody follows orders live.
 * A poll may hold an order's OrderReceived and later events: the consumer applies each order's events in the order
 * they were published.
 *
 * @param orderWriters    transactions writing placed orders at once ({@code ORDER_WRITERS}); each carries every
 *                        order that queued while the others were being written
 * @param orderQueueLimit orders that may wait for a writer ({@code ORDER_QUEUE_LIMIT}), and so the most one
 *                        transaction writes; one more is refused at once with 503 and Retry-After
 * @param liveStreams     GET /orders/{id}/events streams one instance keeps open at most ({@code LIVE_STREAMS}); one
 *                        more is refused with 503
 * @param serviceUrls     every service instance's address ({@code SERVICE_URLS}), for the pages: the catalogue, the
 *                        notifications, and each instance's status on the operations page
 */
record Config(CommonConfig common, int orderWriters, int orderQueueLimit, int liveStreams, ServiceUrls serviceUrls) {
    /** svc-order's default CONSUMER_FETCH_WAIT: live statuses within tens of milliseconds, a few events a transaction. */
    static final Duration LIVE_FETCH_WAIT = Duration.ofMillis(10);

    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-order", 8081, "order").withFetchWait(LIVE_FETCH_WAIT)), env.positiveInt("ORDER_WRITERS", 4),
                env.positiveInt("ORDER_QUEUE_LIMIT", 200), env.positiveInt("LIVE_STREAMS", 1000),
                ServiceUrls.parse(env.string("SERVICE_URLS", ServiceUrls.LOCAL)));
    }
}
