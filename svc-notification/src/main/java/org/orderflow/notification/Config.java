package org.orderflow.notification;

import java.time.Duration;
import java.util.Map;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;

/** svc-notification's settings, from environment variables; the defaults match `make up`. */
record Config(CommonConfig common) {
    /**
     * The last stop of an order, which nothing waits for: the consumer may let the broker gather notifications for
     * this long, so that at 100 orders/s (400 notifications/s) one transaction stores tens of them instead of a few.
     * A customer is told at most this much later.
     */
    static final Duration NOTIFICATION_FETCH_WAIT = Duration.ofMillis(100);

    static Config fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Config(CommonConfig.fromEnv(env, "svc-notification", 8085, "notification", NOTIFICATION_FETCH_WAIT));
    }
}
