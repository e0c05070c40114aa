package org.orderflow.order;

import org.orderflow.order.peers.ServiceUrls;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/**
 * svc-order's settings, from environment variables; the defaults match `make up`. Its consumer keeps the orders'
 * statuses, which no step of the pipeline waits for: it waits {@link CommonConfig#GATHERING_FETCH_WAIT} for a fetch, so that
 * a transaction moves tens of orders at 100 orders/s. One poll then often holds an order's OrderReceived and later
 * events: the consumer applies each order's events in the order they were published.
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

    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-order", 8081, "order").withFetchWait(CommonConfig.GATHERING_FETCH_WAIT)), env.positiveInt("ORDER_WRITERS", 4),
                env.positiveInt("ORDER_QUEUE_LIMIT", 200), env.positiveInt("LIVE_STREAMS", 1000),
                ServiceUrls.parse(env.string("SERVICE_URLS", ServiceUrls.LOCAL)));
    }
}
