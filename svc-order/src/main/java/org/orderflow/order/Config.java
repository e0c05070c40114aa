package org.orderflow.order;

import java.util.Map;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;

/**
 * svc-order's settings, from environment variables; the defaults match `make up`.
 *
 * @param orderWriters    transactions writing placed orders at once ({@code ORDER_WRITERS}); each carries every
 *                        order that queued while the others were being written
 * @param orderQueueLimit orders that may wait for a writer ({@code ORDER_QUEUE_LIMIT}), and so the most one
 *                        transaction writes; one more is refused at once with 503 and Retry-After
 */
record Config(CommonConfig common, int orderWriters, int orderQueueLimit) {

    static Config fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Config(CommonConfig.fromEnv(env, "svc-order", 8081, "order"), env.positiveInt("ORDER_WRITERS", 4),
                env.positiveInt("ORDER_QUEUE_LIMIT", 200));
    }
}
