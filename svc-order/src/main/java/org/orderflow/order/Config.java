package org.orderflow.order;

import java.util.Map;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;

/**
 * svc-order's settings, from environment variables; the defaults match `make up`.
 *
 * @param orderWriters transactions writing placed orders at once ({@code ORDER_WRITERS}); each carries every order
 *                     that queued while the others were being written
 */
record Config(CommonConfig common, int orderWriters) {

    static Config fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Config(CommonConfig.fromEnv(env, "svc-order", 8081, "order"), env.positiveInt("ORDER_WRITERS", 4));
    }
}
