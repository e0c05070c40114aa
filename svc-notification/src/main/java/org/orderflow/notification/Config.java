package org.orderflow.notification;

import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/**
 * svc-notification's settings, from environment variables; the defaults match `make up`. The last stop of an order,
 * which nothing waits for: its consumer waits {@link CommonConfig#GATHERING_FETCH_WAIT} for a fetch (at 100 orders/s, 400
 * notifications a second, a transaction then stores tens of them), and a customer is told at most that much later.
 */
record Config(CommonConfig common) {
    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-notification", 8085, "notification").withFetchWait(CommonConfig.GATHERING_FETCH_WAIT)));
    }
}
